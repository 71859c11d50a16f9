using LlmRouter.Abstractions.Cluster;

namespace LlmRouter.Configuration;

/// <summary>Binds a parsed router.toml to <see cref="RouterConfig"/>, checking types, required keys and references.</summary>
internal static class RouterConfigBinder
{
    public static RouterConfig Bind(TomlTable document, string? file, List<ConfigDiagnostic> warnings)
    {
        var root = new TomlSection(document, "the document", file, warnings);
        var providers = root.TableArray("providers", "[[providers]]");
        var keys = root.TableArray("api_keys", "[[api_keys]]");
        var config = new RouterConfig
        {
            SourcePath = file,
            Server = root.OptionalTable("server", "[server]") is { } server ? BindServer(server) : new ServerConfig(),
            Frontend = root.OptionalTable("frontend", "[frontend]") is { } frontend ? BindFrontend(frontend) : new FrontendConfig(),
            Providers = BindAll(providers, BindProvider),
            ApiKeys = BindAll(keys, ApiKeyBinding.ApiKey),
            Cluster = root.OptionalTable("cluster", "[cluster]") is { } cluster ? BindCluster(cluster) : new ClusterConfig(),
            Monitoring = root.OptionalTable("monitoring", "[monitoring]") is { } monitoring ? BindMonitoring(monitoring) : new MonitoringConfig(),
            Routing = root.OptionalTable("routing", "[routing]") is { } routing ? RoutingConfigBinder.BindRouting(routing) : new RoutingConfig(),
        };
        var models = root.TableArray("models", "[[models]]");
        var groups = root.TableArray("model_groups", "[[model_groups]]");
        var rules = root.TableArray("routing_rules", "[[routing_rules]]");
        config = config with
        {
            Models = BindAll(models, ModelBinding.Model),
            ModelGroups = BindAll(groups, ModelBinding.Group),
            RoutingRules = BindAll(rules, RoutingConfigBinder.BindRule),
        };
        root.WarnUnknownKeys();
        ConfigReferences.Check(config, providers, models, groups, keys);
        RoutingConfigBinder.CheckReferences(config, models, groups, rules);
        return config;
    }

    private static IReadOnlyList<T> BindAll<T>(IReadOnlyList<TomlSection> sections, Func<TomlSection, T> bind) =>
        sections.Select(bind).ToArray();

    private static ServerConfig BindServer(TomlSection s)
    {
        var defaults = new ServerConfig();
        var server = new ServerConfig
        {
            Host = s.OptionalString("host") ?? defaults.Host,
            Port = s.OptionalInt("port", 0, 65535) ?? defaults.Port,
            DatabaseUrl = s.OptionalString("database_url"),
            DefaultTimeoutSeconds = s.OptionalNumber("default_timeout", 0, exclusiveMin: true) ?? defaults.DefaultTimeoutSeconds,
            LogLevel = KnownLogLevel(s) ?? defaults.LogLevel,
            RequireAuth = s.Bool("require_auth", defaults.RequireAuth),
            LocalhostBypass = s.Bool("localhost_bypass", defaults.LocalhostBypass),
            SessionTtlSeconds = s.OptionalInt("session_ttl_seconds", 1) ?? defaults.SessionTtlSeconds,
            MaxRequestBodyBytes = s.OptionalInteger("max_request_body_bytes", 1024, long.MaxValue) ?? defaults.MaxRequestBodyBytes,
            AllowedHosts = s.OptionalStringList("allowed_hosts") ?? defaults.AllowedHosts,
            TrustedProxies = ServerSecurityBinding.TrustedProxies(s),
            RestApiKeyEnvs = ServerSecurityBinding.RestApiKeyEnvs(s),
            RestBaseUrls = s.OptionalStringList("rest_base_urls") ?? defaults.RestBaseUrls,
            MaxUpstreamResponseBytes = s.OptionalInteger("max_upstream_response_bytes", 1024, long.MaxValue) ?? defaults.MaxUpstreamResponseBytes,
            StreamDeadlineSeconds = s.OptionalNumber("stream_deadline", 0, exclusiveMin: true) ?? defaults.StreamDeadlineSeconds,
            DefaultMaxTokensEstimate = s.OptionalInt("default_max_tokens_estimate", 1) ?? defaults.DefaultMaxTokensEstimate,
        };
        s.WarnUnknownKeys();
        return server;
    }

    private static string? KnownLogLevel(TomlSection s)
    {
        var level = s.OptionalString("log_level");
        return level is null || LogLevels.IsKnown(level)
            ? level
            : throw s.Error(s.Table["log_level"].Position, $"log_level '{level}' in {s.Name} must be one of {LogLevels.Names}");
    }

    private static FrontendConfig BindFrontend(TomlSection s)
    {
        var defaults = new FrontendConfig();
        var frontend = new FrontendConfig
        {
            Port = s.OptionalInt("port", 0, 65535) ?? defaults.Port,
            ApiUrl = s.OptionalString("api_url") ?? defaults.ApiUrl,
            ApiBaseUrl = s.OptionalString("api_base_url") ?? defaults.ApiBaseUrl,
        };
        s.WarnUnknownKeys();
        return frontend;
    }

    private static ProviderConfig BindProvider(TomlSection s)
    {
        var type = s.RequiredString("type");
        if (!ProviderTypes.IsKnown(type))
        {
            throw s.Error(s.Table["type"].Position, $"unknown provider type '{type}' (known: {string.Join(", ", ProviderTypes.All)})");
        }
        var baseUrl = s.OptionalString("base_url");
        if (baseUrl is not null && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            throw s.Error(s.Table["base_url"].Position, $"base_url '{baseUrl}' in {s.Name} is not an absolute http(s) URL");
        }
        var settings = s.OptionalTable("settings", s.Name + ".settings");
        var provider = new ProviderConfig
        {
            Name = s.RequiredString("name"),
            Type = type,
            ApiKeyEnv = s.OptionalString("api_key_env"),
            ApiKey = s.OptionalString("api_key"),
            BaseUrl = baseUrl,
            IsActive = s.Bool("is_active", true),
            Settings = settings is null
                ? new Dictionary<string, object?>()
                : settings.Table.ToDictionary(p => p.Key, p => TomlSection.ToPlain(p.Value), StringComparer.Ordinal),
        };
        if (provider.ApiKey is not null)
        {
            s.Warn("api_key", $"{s.Name} '{provider.Name}' holds a literal api_key; prefer api_key_env");
        }
        s.WarnUnknownKeys();
        return provider;
    }

    private static ClusterConfig BindCluster(TomlSection s)
    {
        var roles = s.OptionalStringList("roles");
        if (roles is not null && NodeRoles.Problem(roles) is { } bad)
        {
            throw s.Error(s.Table["roles"].Position, $"roles in [cluster]: {bad}");
        }
        var backend = s.OptionalString("llama_backend") ?? new ClusterConfig().LlamaBackend;
        if (backend is not ("cpu" or "cuda"))
        {
            throw s.Error(s.Table["llama_backend"].Position, $"llama_backend '{backend}' in [cluster] must be \"cpu\" or \"cuda\"");
        }
        var cluster = new ClusterConfig
        {
            NodeId = s.OptionalString("node_id"),
            Roles = roles ?? new ClusterConfig().Roles,
            LlamaBackend = backend,
        };
        cluster = ClusterBinding.Orleans(s, cluster);
        s.WarnUnknownKeys();
        return cluster;
    }

    private static MonitoringConfig BindMonitoring(TomlSection s)
    {
        var defaults = new MonitoringConfig();
        var monitoring = new MonitoringConfig
        {
            MaxBodyBytes = s.OptionalInteger("max_body_bytes", 256, int.MaxValue) ?? defaults.MaxBodyBytes,
            MetricsPublic = s.Bool("metrics_public", defaults.MetricsPublic),
            DurableLog = s.Bool("durable_log", defaults.DurableLog),
            DurableLogTimeoutSeconds = s.OptionalNumber("durable_log_timeout", 0, exclusiveMin: true) ?? defaults.DurableLogTimeoutSeconds,
            RetentionDays = s.OptionalInt("retention_days", 0, 36_500) ?? defaults.RetentionDays,
        };
        s.WarnUnknownKeys();
        return monitoring;
    }
}
