using System.Globalization;
using LlmRouter.Abstractions.Cluster;

namespace LlmRouter.Configuration;

/// <summary>
/// Builds the configuration in force: defaults, overridden by router.toml, overridden by LLM_ROUTER_*
/// environment variables. A .env file in the working directory and one beside the config file add variables
/// that are not already set.
/// </summary>
public static class RouterConfigLoader
{
    public const string DefaultFileName = "router.toml";

    /// <summary>Finds the config file and the .env files, then loads.</summary>
    public static ConfigLoadResult Load(RouterEnvironment environment, string workingDirectory, string? explicitPath = null)
    {
        environment = environment.WithDefaults(DotEnvFile.Read(Path.Combine(workingDirectory, ".env")));
        var path = ResolvePath(environment, workingDirectory, explicitPath);
        if (path is not null)
        {
            var configDirectory = Path.GetDirectoryName(path)!;
            if (!string.Equals(Path.GetFullPath(configDirectory), Path.GetFullPath(workingDirectory), StringComparison.Ordinal))
            {
                environment = environment.WithDefaults(DotEnvFile.Read(Path.Combine(configDirectory, ".env")));
            }
        }
        return LoadFile(path, environment);
    }

    /// <summary>The config file to use: the explicit path, else LLM_ROUTER_MODEL_CONFIG, else ./router.toml when present.</summary>
    public static string? ResolvePath(RouterEnvironment environment, string workingDirectory, string? explicitPath)
    {
        var named = explicitPath ?? environment.Get("LLM_ROUTER_MODEL_CONFIG");
        if (!string.IsNullOrWhiteSpace(named))
        {
            var full = Path.GetFullPath(named, workingDirectory);
            return File.Exists(full) ? full : throw new ConfigException(full, 0, 0, "configuration file not found");
        }
        var local = Path.Combine(workingDirectory, DefaultFileName);
        return File.Exists(local) ? Path.GetFullPath(local) : null;
    }

    /// <summary>Loads one file (or none: defaults and environment only) against a prepared environment.</summary>
    public static ConfigLoadResult LoadFile(string? path, RouterEnvironment environment)
    {
        if (path is null)
        {
            var warnings = new List<ConfigDiagnostic>();
            return new ConfigLoadResult(ApplyEnvironment(new RouterConfig(), environment), environment, warnings);
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, 0, 0, "cannot read the file: " + exception.Message);
        }
        return Parse(bytes, path, environment);
    }

    /// <summary>Parses and binds file contents; every error is a <see cref="ConfigException"/> naming file:line:column.</summary>
    public static ConfigLoadResult Parse(ReadOnlySpan<byte> utf8, string? path, RouterEnvironment environment)
    {
        var warnings = new List<ConfigDiagnostic>();
        var document = TomlDocumentReader.Read(utf8, path, warnings);
        var config = RouterConfigBinder.Bind(document, path, warnings);
        config = ApplyEnvironment(config, environment);
        WarnUnsetVariables(config, environment, warnings);
        return new ConfigLoadResult(config, environment, warnings);
    }

    private static RouterConfig ApplyEnvironment(RouterConfig config, RouterEnvironment environment)
    {
        var server = config.Server;
        server = server with
        {
            Host = environment.Get("LLM_ROUTER_HOST") is { Length: > 0 } host ? host : server.Host,
            Port = Integer(environment, "LLM_ROUTER_PORT", 0, 65535) ?? server.Port,
            DatabaseUrl = environment.Get("LLM_ROUTER_DATABASE_URL") is { Length: > 0 } url ? url : server.DatabaseUrl,
            DefaultTimeoutSeconds = PositiveNumber(environment, "LLM_ROUTER_DEFAULT_TIMEOUT") ?? server.DefaultTimeoutSeconds,
            LogLevel = environment.Get("LLM_ROUTER_LOG_LEVEL") is { Length: > 0 } level ? KnownLogLevel(level) : server.LogLevel,
            RequireAuth = Flag(environment, "LLM_ROUTER_REQUIRE_AUTH") ?? server.RequireAuth,
            LocalhostBypass = Flag(environment, "LLM_ROUTER_LOCALHOST_BYPASS") ?? server.LocalhostBypass,
            SessionTtlSeconds = Integer(environment, "LLM_ROUTER_SESSION_TTL_SECONDS", 1, int.MaxValue) ?? server.SessionTtlSeconds,
            AllowedHosts = List(environment, "LLM_ROUTER_ALLOWED_HOSTS") ?? server.AllowedHosts,
            TrustedProxies = List(environment, "LLM_ROUTER_TRUSTED_PROXIES") is { } proxies ? Proxies(proxies) : server.TrustedProxies,
            RestApiKeyEnvs = List(environment, "LLM_ROUTER_REST_API_KEY_ENVS") is { } envs ? RestApiKeyEnvs(envs) : server.RestApiKeyEnvs,
        };
        var cluster = config.Cluster with
        {
            NodeId = environment.Get("LLM_ROUTER_NODE_ID") is { Length: > 0 } node ? node : config.Cluster.NodeId,
            Roles = environment.Get("LLM_ROUTER_ROLES") is { Length: > 0 } roles ? Roles(roles) : config.Cluster.Roles,
            LlamaBackend = environment.Get("LLM_ROUTER_LLAMA_BACKEND") is { Length: > 0 } backend ? LlamaBackend(backend) : config.Cluster.LlamaBackend,
            Dashboard = Flag(environment, "LLM_ROUTER_DASHBOARD") ?? config.Cluster.Dashboard,
        };
        cluster = ClusterBinding.FromEnvironment(environment, cluster);
        var monitoring = config.Monitoring with
        {
            MetricsPublic = Flag(environment, "LLM_ROUTER_METRICS_PUBLIC") ?? config.Monitoring.MetricsPublic,
        };
        var apiKeys = config.ApiKeys;
        if (environment.Get("LLM_ROUTER_API_KEYS") is { Length: > 0 } keys)
        {
            // The seeds' "simple configuration": each listed key is a full (admin) key, named by its position.
            var extra = keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select((key, i) => new ApiKeyConfig { Name = $"env-key-{i + 1}", Key = key, Role = ApiKeyRoles.Admin });
            apiKeys = [.. apiKeys, .. extra];
        }
        return config with { Server = server, Cluster = cluster, ApiKeys = apiKeys, Monitoring = monitoring };
    }

    private static void WarnUnsetVariables(RouterConfig config, RouterEnvironment environment, List<ConfigDiagnostic> warnings)
    {
        foreach (var provider in config.Providers)
        {
            if (provider.ApiKeyEnv is { Length: > 0 } name && !environment.Contains(name))
            {
                warnings.Add(new ConfigDiagnostic(config.SourcePath, 0, 0, $"provider '{provider.Name}': environment variable {name} is not set; calls go upstream without a key"));
            }
        }
        foreach (var key in config.ApiKeys)
        {
            if (key.KeyEnv is { Length: > 0 } name && !environment.Contains(name))
            {
                warnings.Add(new ConfigDiagnostic(config.SourcePath, 0, 0, $"api key '{key.Name}': environment variable {name} is not set; the key cannot be used"));
            }
        }
    }

    private static int? Integer(RouterEnvironment environment, string name, int min, int max)
    {
        var text = environment.Get(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ConfigException($"environment variable {name}='{text}' must be an integer from {min} to {max}");
    }

    private static double? PositiveNumber(RouterEnvironment environment, string name)
    {
        var text = environment.Get(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new ConfigException($"environment variable {name}='{text}' must be a positive number of seconds");
    }

    private static bool? Flag(RouterEnvironment environment, string name) => environment.Get(name)?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        var other => throw new ConfigException($"environment variable {name}='{other}' must be true or false"),
    };

    private static string KnownLogLevel(string text) => LogLevels.IsKnown(text)
        ? text
        : throw new ConfigException($"environment variable LLM_ROUTER_LOG_LEVEL='{text}' must be one of {LogLevels.Names}");

    private static string LlamaBackend(string text) => text.Trim().ToLowerInvariant() switch
    {
        "cpu" => "cpu",
        "cuda" => "cuda",
        _ => throw new ConfigException($"environment variable LLM_ROUTER_LLAMA_BACKEND='{text}' must be cpu or cuda"),
    };

    private static IReadOnlyList<string>? List(RouterEnvironment environment, string name) =>
        environment.Get(name) is { Length: > 0 } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;

    private static IReadOnlyList<string> Proxies(IReadOnlyList<string> proxies) =>
        proxies.FirstOrDefault(p => !System.Net.IPAddress.TryParse(p, out _) && !System.Net.IPNetwork.TryParse(p, out _)) is { } bad
            ? throw new ConfigException($"environment variable LLM_ROUTER_TRUSTED_PROXIES names '{bad}', which is neither an IP address nor a CIDR range")
            : proxies;

    private static IReadOnlyList<string> RestApiKeyEnvs(IReadOnlyList<string> names) =>
        names.Select(ServerSecurityBinding.RestApiKeyEnvProblem).FirstOrDefault(p => p is not null) is { } problem
            ? throw new ConfigException($"environment variable LLM_ROUTER_REST_API_KEY_ENVS: {problem}")
            : names;

    private static IReadOnlyList<string> Roles(string text)
    {
        var roles = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return NodeRoles.Problem(roles) is { } bad
            ? throw new ConfigException($"environment variable LLM_ROUTER_ROLES: {bad}")
            : roles;
    }
}
