namespace LlmRouter.Configuration;

/// <summary>Binds router.toml's [[models]] (with their rate limits and capabilities) and [[model_groups]].</summary>
internal static class ModelBinding
{
    private static readonly string[] Strategies = ["roundrobin", "random", "least_latency", "least_busy"];

    public static ModelConfig Model(TomlSection s)
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
            RateLimit = s.OptionalTable("rate_limit", s.Name + ".rate_limit") is { } limit ? RateLimit(limit) : null,
            Config = s.OptionalTable("config", s.Name + ".config") is { } capabilities ? Capabilities(capabilities) : new ModelCapabilities(),
            Fallbacks = s.OptionalStringList("fallbacks") ?? [],
            RewriteBody = ModelPipelineBinding.RewriteBody(s),
            Pipeline = ModelPipelineBinding.Pipeline(s),
        };
        s.WarnUnknownKeys();
        return model;
    }

    public static RateLimitConfig RateLimit(TomlSection s)
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

    private static ModelCapabilities Capabilities(TomlSection s)
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

    public static ModelGroupConfig Group(TomlSection s)
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
}
