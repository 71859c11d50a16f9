using System.Globalization;
using LlmRouter.Abstractions.Access;
using LlmRouter.Api.Auth.Keys;

namespace LlmRouter.Silo;

/// <summary>
/// <c>keys create|list|disable|enable</c>: manages client API keys in the store the node would use (same
/// router.toml, environment and database URL), without a running node. A created key is printed once.
/// </summary>
public static class KeysCommand
{
    public const string Usage = """
        usage: llm-router keys create --name NAME [--role admin|user] [--allowed-models p/m,p/m] [--allowed-providers p,p] [--prefix sk]
               llm-router keys list
               llm-router keys disable ID
               llm-router keys enable ID
        options for every command, before or after it: --config/-c PATH (router.toml; its database_url and [[api_keys]] apply)
        """;

    /// <summary>
    /// The keys command's own arguments when <paramref name="args"/> call it, options given before <c>keys</c> (as in
    /// <c>--config X keys list</c>) moved after it; null when the arguments start a node instead.
    /// </summary>
    public static IReadOnlyList<string>? Arguments(IReadOnlyList<string> args)
    {
        // Every option takes a value, so the command word can only be at an even position.
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i] == "keys")
            {
                return [.. args.Skip(i + 1), .. args.Take(i)];
            }
            if (!args[i].StartsWith('-'))
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>Runs one command; returns the process exit code (0 done, 1 refused, 2 usage error).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, RouterNodeOptions options, TextWriter output, TextWriter error)
    {
        var positional = new List<string>();
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith('-'))
            {
                if (i + 1 >= args.Count)
                {
                    return UsageError(error, $"option {args[i]} needs a value");
                }
                named[args[i] == "-c" ? "--config" : args[i]] = args[++i];
            }
            else
            {
                positional.Add(args[i]);
            }
        }
        var allowed = positional.FirstOrDefault() switch
        {
            "create" => new[] { "--name", "--role", "--allowed-models", "--allowed-providers", "--prefix", "--config" },
            "list" or "disable" or "enable" => ["--config"],
            _ => null,
        };
        if (allowed is null)
        {
            return UsageError(error, positional.Count == 0 ? "a keys command is required" : $"unknown keys command '{positional[0]}'");
        }
        if (named.Keys.FirstOrDefault(k => !allowed.Contains(k)) is { } unknown)
        {
            return UsageError(error, $"unknown option '{unknown}' for keys {positional[0]}");
        }
        var expectedPositional = positional[0] is "disable" or "enable" ? 2 : 1;
        if (positional.Count != expectedPositional)
        {
            return UsageError(error, expectedPositional == 2 ? $"keys {positional[0]} needs exactly one key id" : $"unexpected argument '{positional[^1]}'");
        }

        await using var services = await BuildServicesAsync(options with { ConfigPath = named.GetValueOrDefault("--config") ?? options.ConfigPath });
        var keys = services.GetRequiredService<ApiKeyDirectory>();
        return positional[0] switch
        {
            "create" => await CreateAsync(keys, named, output, error),
            "list" => await ListAsync(keys, output),
            var command => await SetActiveAsync(keys, positional[1], command == "enable", output, error),
        };
    }

    private static async Task<ServiceProvider> BuildServicesAsync(RouterNodeOptions options)
    {
        var loaded = RouterConfigLoader.Load(options.Environment, options.WorkingDirectory, options.ConfigPath);
        var services = new ServiceCollection();
        await services.AddRouterStorageAsync(loaded.Config.Server.DatabaseUrl, options.WorkingDirectory);
        services.AddSingleton<IRouterConfigSource>(new FixedConfigSource(loaded.Config));
        services.AddSingleton(loaded.Environment);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SecretHasher>();
        services.AddSingleton<ApiKeyDirectory>();
        return services.BuildServiceProvider();
    }

    private static async Task<int> CreateAsync(ApiKeyDirectory keys, Dictionary<string, string> named, TextWriter output, TextWriter error)
    {
        if (named.GetValueOrDefault("--name") is not { } name)
        {
            return UsageError(error, "keys create needs --name NAME");
        }
        var allowedModels = List(named.GetValueOrDefault("--allowed-models"));
        var allowedProviders = List(named.GetValueOrDefault("--allowed-providers"));
        // An empty list would allow nothing at all; leaving the option out is how a key gets every model.
        if (allowedModels is [])
        {
            return UsageError(error, "--allowed-models needs at least one provider/model (leave it out to allow every model)");
        }
        if (allowedProviders is [])
        {
            return UsageError(error, "--allowed-providers needs at least one provider (leave it out to allow every provider)");
        }
        var outcome = await keys.CreateAsync(new NewApiKey
        {
            Name = name,
            Role = named.GetValueOrDefault("--role") ?? ApiKeyRoles.User,
            AllowedModels = allowedModels,
            AllowedProviders = allowedProviders,
            Prefix = named.GetValueOrDefault("--prefix") ?? SecretTokens.DefaultKeyPrefix,
        });
        if (outcome is not { Key: { } key, Secret: { } secret })
        {
            await error.WriteLineAsync("llm-router: " + outcome.Message);
            return 1;
        }
        await output.WriteLineAsync("API key created. Copy it now: it is shown only this once.");
        await output.WriteLineAsync($"id:    {key.Id}");
        await output.WriteLineAsync($"name:  {key.Name}");
        await output.WriteLineAsync($"role:  {key.Role}");
        if (key.AllowedModels is { } models)
        {
            await output.WriteLineAsync($"allowed models:    {string.Join(", ", models)}");
        }
        if (key.AllowedProviders is { } providers)
        {
            await output.WriteLineAsync($"allowed providers: {string.Join(", ", providers)}");
        }
        await output.WriteLineAsync($"key:   {secret}");
        return 0;
    }

    private static async Task<int> ListAsync(ApiKeyDirectory keys, TextWriter output)
    {
        var all = await keys.ListAsync();
        await output.WriteLineAsync($"{"ID",-22} {"NAME",-24} {"ROLE",-6} {"ACTIVE",-7} {"SOURCE",-7} {"LAST USED",-20} ALLOWED MODELS");
        foreach (var key in all)
        {
            var lastUsed = key.LastUsedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "never";
            var models = key.AllowedModels is { } list ? string.Join(",", list) : "*";
            await output.WriteLineAsync($"{key.Id,-22} {key.Name,-24} {key.Role,-6} {(key.IsActive ? "yes" : "no"),-7} {key.Source,-7} {lastUsed,-20} {models}");
        }
        return 0;
    }

    private static async Task<int> SetActiveAsync(ApiKeyDirectory keys, string id, bool active, TextWriter output, TextWriter error)
    {
        var outcome = await keys.UpdateAsync(id, new ApiKeyChanges { IsActive = new(active) });
        if (outcome.Key is not { } key)
        {
            await error.WriteLineAsync("llm-router: " + outcome.Message);
            return 1;
        }
        await output.WriteLineAsync($"{(active ? "enabled" : "disabled")} {key.Id} ({key.Name})");
        return 0;
    }

    private static IReadOnlyList<string>? List(string? commaSeparated) =>
        commaSeparated?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int UsageError(TextWriter error, string message)
    {
        error.WriteLine("llm-router: " + message);
        error.WriteLine(Usage);
        return 2;
    }
}
