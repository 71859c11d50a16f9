using LlmRouter.Grains.Catalog;

namespace LlmRouter.Api.Catalog;

/// <summary>
/// Providers and models as JSON with router.toml's key names: what the REST API accepts and shows and what the
/// store keeps. Parsing checks the same rules as the file binder and refuses unknown fields.
/// </summary>
public static class CatalogDefinitions
{
    public static JsonObject ProviderJson(ProviderConfig provider) => new()
    {
        ["name"] = provider.Name,
        ["type"] = provider.Type,
        ["api_key_env"] = provider.ApiKeyEnv,
        ["base_url"] = provider.BaseUrl,
        ["is_active"] = provider.IsActive,
        ["settings"] = new JsonObject(provider.Settings.Select(s => KeyValuePair.Create(s.Key, FromPlain(s.Value)))),
    };

    /// <summary>Reads a provider definition; throws <see cref="DefinitionException"/> naming the bad field.</summary>
    public static ProviderConfig ParseProvider(JsonObject json)
    {
        var f = new JsonFields(json);
        var name = f.RequiredString("name");
        if (name.Contains('/', StringComparison.Ordinal) || name.Length > 100)
        {
            throw new DefinitionException("name", "'name' must be at most 100 characters without '/'.");
        }
        var type = f.RequiredString("type");
        if (!ProviderTypes.IsKnown(type))
        {
            throw new DefinitionException("type", $"Unknown provider type '{type}' (known: {string.Join(", ", ProviderTypes.All)}).");
        }
        if (f.Raw("api_key") is not null)
        {
            throw new DefinitionException("api_key", "A literal 'api_key' is not kept in the store: put the upstream key in an environment variable and name it in 'api_key_env'.");
        }
        var baseUrl = f.String("base_url");
        if (baseUrl is not null && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            throw new DefinitionException("base_url", $"'base_url' must be an absolute http(s) URL, not '{baseUrl}'.");
        }
        var settings = f.Raw("settings") switch
        {
            null => new Dictionary<string, object?>(StringComparer.Ordinal),
            JsonObject given => given.ToDictionary(p => p.Key, p => ToPlain(p.Value), StringComparer.Ordinal),
            _ => throw new DefinitionException("settings", "'settings' must be an object."),
        };
        var provider = new ProviderConfig
        {
            Name = name,
            Type = type,
            ApiKeyEnv = f.String("api_key_env"),
            BaseUrl = baseUrl,
            IsActive = f.Bool("is_active") ?? true,
            Settings = settings,
        };
        f.RejectUnknown();
        return provider;
    }

    public static JsonObject ModelJson(ModelConfig model)
    {
        var json = new JsonObject
        {
            ["name"] = model.Name,
            ["provider"] = model.Provider,
            ["display_name"] = model.DisplayName,
            ["upstream_model"] = model.UpstreamModel,
            ["tags"] = Strings(model.Tags),
            ["is_active"] = model.IsActive,
            ["priority"] = model.Priority,
            ["fallbacks"] = Strings(model.Fallbacks),
            ["pipeline"] = model.Pipeline,
            ["rewrite_body"] = model.RewriteBody is { } rewrite ? JsonNode.Parse(rewrite.GetRawText()) : null,
            ["config"] = new JsonObject
            {
                ["context_window"] = model.Config.ContextWindow,
                ["supports_vision"] = model.Config.SupportsVision,
                ["supports_tools"] = model.Config.SupportsTools,
                ["supports_embeddings"] = model.Config.SupportsEmbeddings,
                ["languages"] = Strings(model.Config.Languages),
                ["cost_per_1k_tokens"] = model.Config.CostPer1kTokens,
                ["cost_per_1k_completion_tokens"] = model.Config.CostPer1kCompletionTokens,
            },
        };
        if (model.RateLimit is { } limit)
        {
            json["rate_limit"] = new JsonObject
            {
                ["max_requests"] = limit.MaxRequests,
                ["per_seconds"] = limit.PerSeconds,
                ["burst_size"] = limit.BurstSize,
                ["tokens_per_minute"] = limit.TokensPerMinute,
            };
        }
        return json;
    }

    /// <summary>Reads a model definition; throws <see cref="DefinitionException"/> naming the bad field.</summary>
    public static ModelConfig ParseModel(JsonObject json)
    {
        var f = new JsonFields(json);
        var model = new ModelConfig
        {
            Name = f.RequiredString("name"),
            Provider = f.RequiredString("provider"),
            DisplayName = f.String("display_name"),
            UpstreamModel = f.String("upstream_model"),
            Tags = f.StringList("tags") ?? [],
            IsActive = f.Bool("is_active") ?? true,
            Priority = f.Int("priority", int.MinValue) ?? 0,
            Fallbacks = f.StringList("fallbacks") ?? [],
            RateLimit = f.Object("rate_limit") is { } limit ? ParseRateLimit(limit) : null,
            Config = f.Object("config") is { } config ? ParseCapabilities(config) : new ModelCapabilities(),
            Pipeline = Pipeline(f.String("pipeline")),
            RewriteBody = RewriteBody(f.Raw("rewrite_body")),
        };
        f.RejectUnknown();
        return model;
    }

    private static string? Pipeline(string? name) =>
        name is null || PipelineNames.IsKnown(name)
            ? name
            : throw new DefinitionException("pipeline", $"'pipeline' must be one of {string.Join(", ", PipelineNames.All)}.");

    /// <summary>Members replace those of the outgoing body, null removes one: JSON says it directly, as router.toml cannot.</summary>
    private static JsonElement? RewriteBody(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }
        if (node is not JsonObject rewrite)
        {
            throw new DefinitionException("rewrite_body", "'rewrite_body' must be an object whose members replace (null: remove) those of the outgoing body.");
        }
        using var document = JsonDocument.Parse(rewrite.ToJsonString());
        return document.RootElement.Clone();
    }

    /// <summary>Applies a JSON merge patch (RFC 7386): members replace, null removes, objects merge member by member.</summary>
    public static JsonObject MergePatch(JsonObject target, JsonObject patch)
    {
        var result = (JsonObject)target.DeepClone();
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else if (value is JsonObject inner && result[name] is JsonObject existing)
            {
                result[name] = MergePatch(existing, inner);
            }
            else
            {
                result[name] = value.DeepClone();
            }
        }
        return result;
    }

    /// <summary>Reads a rate_limit object (models and keys share it).</summary>
    public static RateLimitConfig ParseRateLimit(JsonFields f)
    {
        var limit = new RateLimitConfig
        {
            MaxRequests = f.Int("max_requests", 1),
            PerSeconds = (double?)f.Decimal("per_seconds", 0, exclusiveMin: true) ?? 60,
            BurstSize = f.Int("burst_size", 1),
            TokensPerMinute = f.Integer("tokens_per_minute", 1),
        };
        f.RejectUnknown();
        return limit;
    }

    private static ModelCapabilities ParseCapabilities(JsonFields f)
    {
        var contextWindow = f.Raw("context_window") switch
        {
            null => null,
            JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
            JsonValue number when number.TryGetValue(out long tokens) => tokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new DefinitionException("config.context_window", "'config.context_window' must be a string such as \"128k\" or an integer."),
        };
        var capabilities = new ModelCapabilities
        {
            ContextWindow = contextWindow,
            SupportsVision = f.Bool("supports_vision") ?? false,
            SupportsTools = f.Bool("supports_tools") ?? false,
            SupportsEmbeddings = f.Bool("supports_embeddings") ?? false,
            Languages = f.StringList("languages") ?? [],
            CostPer1kTokens = f.Decimal("cost_per_1k_tokens", 0) ?? 0,
            CostPer1kCompletionTokens = f.Decimal("cost_per_1k_completion_tokens", 0) ?? 0,
        };
        f.RejectUnknown();
        return capabilities;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    /// <summary>JSON to the plain values router.toml settings bind to (string, long, double, bool, object?[], dictionary).</summary>
    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value), StringComparer.Ordinal),
        JsonArray a => a.Select(ToPlain).ToArray(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when v.TryGetValue(out long integer) => integer,
            JsonValueKind.Number => v.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };

    private static JsonNode? FromPlain(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        double d => JsonValue.Create(d),
        decimal m => JsonValue.Create(m),
        IReadOnlyDictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, FromPlain(p.Value)))),
        System.Collections.IEnumerable items => new JsonArray(items.Cast<object?>().Select(FromPlain).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };
}
