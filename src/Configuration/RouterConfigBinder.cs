using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Cluster;
using LlmRouter.Configuration.Toml;

namespace LlmRouter.Configuration;

/// <summary>Binds a parsed router.toml to <see cref="RouterConfig"/>, checking types, required keys and references.</summary>
internal static class RouterConfigBinder
{
    private static readonly string[] Strategies = ["roundrobin", "random", "least_latency", "least_busy"];

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
            ApiKeys = BindAll(keys, BindApiKey),
            Cluster = root.OptionalTable("cluster", "[cluster]") is { } cluster ? BindCluster(cluster) : new ClusterConfig(),
            Monitoring = root.OptionalTable("monitoring", "[monitoring]") is { } monitoring ? BindMonitoring(monitoring) : new MonitoringConfig(),
            Routing = root.OptionalTable("routing", "[routing]") is { } routing ? RoutingConfigBinder.BindRouting(routing) : new RoutingConfig(),
        };
        var models = root.TableArray("models", "[[models]]");
        var groups = root.TableArray("model_groups", "[[model_groups]]");
        var rules = root.TableArray("routing_rules", "[[routing_rules]]");
        config = config with
        {
            Models = BindAll(models, BindModel),
            ModelGroups = BindAll(groups, BindGroup),
            RoutingRules = BindAll(rules, RoutingConfigBinder.BindRule),
        };
        root.WarnUnknownKeys();
        CheckReferences(config, providers, models, groups);
        CheckKeyNames(config, keys);
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

    private static ModelConfig BindModel(TomlSection s)
    {
        var model = new ModelConfig
        {
            Name = s.RequiredString("name"),
            Provider = s.RequiredString("provider"),
            DisplayName = s.OptionalString("display_name"),
            UpstreamModel = s.OptionalString("upstream_model"),
            Tags = s.OptionalStringList("tags") ?? [],
            IsActive = s.Bool("is_active", true),
            Priority = s.OptionalInt("priority") ?? 0,
            RateLimit = s.OptionalTable("rate_limit", s.Name + ".rate_limit") is { } limit ? BindRateLimit(limit) : null,
            Config = s.OptionalTable("config", s.Name + ".config") is { } capabilities ? BindCapabilities(capabilities) : new ModelCapabilities(),
            Fallbacks = s.OptionalStringList("fallbacks") ?? [],
            RewriteBody = ModelPipelineBinding.RewriteBody(s),
            Pipeline = ModelPipelineBinding.Pipeline(s),
        };
        s.WarnUnknownKeys();
        return model;
    }

    private static RateLimitConfig BindRateLimit(TomlSection s)
    {
        var limit = new RateLimitConfig
        {
            MaxRequests = s.OptionalInt("max_requests", 1),
            PerSeconds = s.OptionalNumber("per_seconds", 0, exclusiveMin: true) ?? 60,
            BurstSize = s.OptionalInt("burst_size", 1),
            TokensPerMinute = s.OptionalInteger("tokens_per_minute", 1, long.MaxValue),
        };
        s.WarnUnknownKeys();
        return limit;
    }

    private static ModelCapabilities BindCapabilities(TomlSection s)
    {
        var contextWindow = s.Value("context_window") switch
        {
            null => null,
            TomlScalar { Value: string text } => text,
            TomlScalar { Value: long number } => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            var other => throw s.Error(other.Position, $"'context_window' in {s.Name} must be a string such as \"128k\" or an integer"),
        };
        var capabilities = new ModelCapabilities
        {
            ContextWindow = contextWindow,
            SupportsVision = s.Bool("supports_vision", false),
            SupportsTools = s.Bool("supports_tools", false),
            SupportsEmbeddings = s.Bool("supports_embeddings", false),
            Languages = s.OptionalStringList("languages") ?? [],
            CostPer1kTokens = s.Decimal("cost_per_1k_tokens"),
            CostPer1kCompletionTokens = s.Decimal("cost_per_1k_completion_tokens"),
            ModelPath = s.OptionalString("model_path"),
            ContextSize = s.OptionalInt("context_size", 1),
            Threads = s.OptionalInt("threads", 1),
            GpuLayers = s.OptionalInt("gpu_layers", -1),
            QueueSize = s.OptionalInt("queue_size", 0),
            Pooling = s.OptionalString("pooling"),
        };
        if (capabilities.Pooling is { } pooling && !ModelCapabilities.PoolingTypes.Contains(pooling))
        {
            throw s.Error(s.Table["pooling"].Position, $"pooling '{pooling}' in {s.Name} must be \"mean\", \"cls\" or \"last\"");
        }
        s.WarnUnknownKeys();
        return capabilities;
    }

    private static ApiKeyConfig BindApiKey(TomlSection s)
    {
        var role = s.OptionalString("role") ?? ApiKeyRoles.User;
        if (role is not (ApiKeyRoles.Admin or ApiKeyRoles.User))
        {
            throw s.Error(s.Table["role"].Position, $"role '{role}' in {s.Name} must be \"admin\" or \"user\"");
        }
        var key = new ApiKeyConfig
        {
            Name = s.RequiredString("name"),
            KeyEnv = s.OptionalString("key_env"),
            Key = s.OptionalString("key"),
            Role = role,
            IsActive = s.Bool("is_active", true),
            AllowedModels = s.OptionalStringList("allowed_models"),
            AllowedProviders = s.OptionalStringList("allowed_providers"),
            ParameterLimits = s.OptionalTable("parameter_limits", s.Name + ".parameter_limits") is { } limits ? BindParameterLimits(limits) : null,
            RateLimit = s.OptionalTable("rate_limit", s.Name + ".rate_limit") is { } rate ? BindRateLimit(rate) : null,
            Budget = s.OptionalTable("budget", s.Name + ".budget") is { } budget ? BindBudget(budget) : null,
            Pipeline = s.OptionalString("pipeline"),
        };
        if (key.KeyEnv is null && key.Key is null)
        {
            throw s.Missing("key_env", "the environment variable holding the key, or 'key'");
        }
        s.WarnUnknownKeys();
        return key;
    }

    private static ParameterLimits BindParameterLimits(TomlSection s)
    {
        var limits = new ParameterLimits
        {
            MaxTokens = s.OptionalInt("max_tokens", 1),
            Temperature = s.OptionalNumber("temperature", ParameterLimits.MinTemperature, ParameterLimits.MaxTemperature),
            TopP = s.OptionalNumber("top_p", ParameterLimits.MinTopP, ParameterLimits.MaxTopP),
            N = s.OptionalInt("n", 1, 128),
        };
        s.WarnUnknownKeys();
        return limits;
    }

    private static BudgetConfig BindBudget(TomlSection s)
    {
        var period = s.OptionalString("period") ?? "month";
        if (period is not ("day" or "month"))
        {
            throw s.Error(s.Table["period"].Position, $"period '{period}' in {s.Name} must be \"day\" or \"month\"");
        }
        var budget = new BudgetConfig
        {
            LimitUsd = (decimal)(s.OptionalNumber("limit_usd", 0) ?? throw s.Missing("limit_usd", "USD per period")),
            Period = period,
        };
        s.WarnUnknownKeys();
        return budget;
    }

    private static ModelGroupConfig BindGroup(TomlSection s)
    {
        var strategy = s.OptionalString("strategy") ?? "roundrobin";
        if (!Strategies.Contains(strategy, StringComparer.Ordinal))
        {
            throw s.Error(s.Table["strategy"].Position, $"strategy '{strategy}' in {s.Name} must be one of {string.Join(", ", Strategies)}");
        }
        var members = s.TableArray("members", s.Name + ".members").Select(m =>
        {
            var member = new ModelGroupMember(m.RequiredString("model"), m.OptionalInt("weight", 0, 1_000_000) ?? 100);
            m.WarnUnknownKeys();
            return member;
        }).ToArray();
        if (members.Length == 0)
        {
            throw s.Missing("members", "at least one { model = \"provider/model\" }");
        }
        var group = new ModelGroupConfig
        {
            Name = s.RequiredString("name"),
            Strategy = strategy,
            Members = members,
            Fallbacks = s.OptionalStringList("fallbacks") ?? [],
        };
        s.WarnUnknownKeys();
        return group;
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

    /// <summary>Key names are unique: metrics and the invocation log's api_key filter tell keys apart by name.</summary>
    private static void CheckKeyNames(RouterConfig config, IReadOnlyList<TomlSection> sections)
    {
        var names = new Dictionary<string, TomlSection>(StringComparer.Ordinal);
        for (var i = 0; i < config.ApiKeys.Count; i++)
        {
            var name = config.ApiKeys[i].Name;
            if (names.TryGetValue(name, out var first))
            {
                var at = first.Table.GetKeyPosition("name");
                throw sections[i].Error("name", $"api key '{name}' is defined twice (first at {at.Line}:{at.Column})");
            }
            names[name] = sections[i];
        }
    }

    /// <summary>Names must be unique, and models must name a defined provider; groups must name defined models or groups.</summary>
    private static void CheckReferences(RouterConfig config, IReadOnlyList<TomlSection> providerSections, IReadOnlyList<TomlSection> models, IReadOnlyList<TomlSection> groups)
    {
        var providers = new Dictionary<string, TomlSection>(StringComparer.Ordinal);
        for (var i = 0; i < config.Providers.Count; i++)
        {
            var name = config.Providers[i].Name;
            if (providers.TryGetValue(name, out var first))
            {
                var at = first.Table.GetKeyPosition("name");
                throw providerSections[i].Error("name", $"provider '{name}' is defined twice (first at {at.Line}:{at.Column})");
            }
            providers[name] = providerSections[i];
        }
        var ids = new Dictionary<string, TomlSection>(StringComparer.Ordinal);
        for (var i = 0; i < config.Models.Count; i++)
        {
            var model = config.Models[i];
            var section = models[i];
            if (!providers.ContainsKey(model.Provider))
            {
                throw section.Error("provider", $"{section.Name} '{model.Name}' names provider '{model.Provider}', which is not defined in [[providers]]");
            }
            if (ids.TryGetValue(model.Id, out var first))
            {
                var at = first.Table.GetKeyPosition("name");
                throw section.Error("name", $"model '{model.Id}' is defined twice (first at {at.Line}:{at.Column})");
            }
            ids[model.Id] = section;
        }
        var groupNames = new HashSet<string>(config.ModelGroups.Select(g => g.Name), StringComparer.Ordinal);
        for (var i = 0; i < config.ModelGroups.Count; i++)
        {
            foreach (var member in config.ModelGroups[i].Members)
            {
                if (!ids.ContainsKey(member.Model) && !groupNames.Contains(member.Model))
                {
                    throw groups[i].Error("members", $"{groups[i].Name} member '{member.Model}' is neither a defined model ('provider/name') nor a group");
                }
            }
        }
    }
}
