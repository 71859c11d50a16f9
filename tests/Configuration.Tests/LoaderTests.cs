using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Configuration.Tests;

/// <summary>Defaults, router.toml and environment precedence, .env files, binding of every section.</summary>
public sealed class LoaderTests
{
    private static RouterEnvironment Env(params (string Name, string Value)[] variables) =>
        new(variables.Select(v => new KeyValuePair<string, string>(v.Name, v.Value)));

    [Fact]
    public void Without_a_file_the_defaults_apply()
    {
        using var dir = new TempDirectory();

        var result = RouterConfigLoader.Load(Env(), dir.Path);

        Assert.Null(result.Config.SourcePath);
        Assert.Equal(("0.0.0.0", 8000), (result.Config.Server.Host, result.Config.Server.Port));
        Assert.Equal(60.0, result.Config.Server.DefaultTimeoutSeconds);
        Assert.True(result.Config.Server.RequireAuth);
        Assert.True(result.Config.Server.LocalhostBypass);
        Assert.Empty(result.Config.Providers);
    }

    [Fact]
    public void Roles_default_to_a_silo_that_hosts_local_models_and_the_environment_names_a_front_end()
    {
        using var dir = new TempDirectory();
        dir.Write("router.toml", """
            [cluster]
            roles = ["silo"]
            """);

        Assert.Equal(["silo", "gpu"], RouterConfigLoader.LoadFile(null, Env()).Config.Cluster.Roles);
        Assert.Equal(["silo"], RouterConfigLoader.Load(Env(), dir.Path).Config.Cluster.Roles);
        Assert.Equal(["api"], RouterConfigLoader.Load(Env(("LLM_ROUTER_ROLES", " api ")), dir.Path).Config.Cluster.Roles);
        Assert.Equal(["silo", "gpu"], RouterConfigLoader.Load(Env(("LLM_ROUTER_ROLES", "silo,gpu")), dir.Path).Config.Cluster.Roles);
    }

    [Fact]
    public void The_monitoring_table_binds_the_durable_log_switch_and_its_timeout()
    {
        using var dir = new TempDirectory();
        Assert.Equal((true, 2.0), Durable(RouterConfigLoader.Load(Env(), dir.Path).Config.Monitoring));

        dir.Write("router.toml", """
            [monitoring]
            durable_log = false
            durable_log_timeout = 0.5
            """);

        Assert.Equal((false, 0.5), Durable(RouterConfigLoader.Load(Env(), dir.Path).Config.Monitoring));

        static (bool, double) Durable(MonitoringConfig m) => (m.DurableLog, m.DurableLogTimeoutSeconds);
    }

    [Fact]
    public void The_file_overrides_defaults_and_the_environment_overrides_the_file()
    {
        using var dir = new TempDirectory();
        dir.Write("router.toml", """
            [server]
            host = "127.0.0.1"
            port = 18000
            default_timeout = 30
            log_level = "DEBUG"
            require_auth = true
            """);

        var fileOnly = RouterConfigLoader.Load(Env(), dir.Path).Config.Server;
        var overridden = RouterConfigLoader.Load(Env(
            ("LLM_ROUTER_PORT", "19000"), ("LLM_ROUTER_HOST", "0.0.0.0"), ("LLM_ROUTER_DEFAULT_TIMEOUT", "12.5"),
            ("LLM_ROUTER_LOG_LEVEL", "ERROR"), ("LLM_ROUTER_REQUIRE_AUTH", "false"), ("LLM_ROUTER_LOCALHOST_BYPASS", "0"),
            ("LLM_ROUTER_DATABASE_URL", "sqlite:////tmp/x.db")), dir.Path).Config.Server;

        Assert.Equal(("127.0.0.1", 18000, 30.0, "DEBUG", true), (fileOnly.Host, fileOnly.Port, fileOnly.DefaultTimeoutSeconds, fileOnly.LogLevel, fileOnly.RequireAuth));
        Assert.Equal(("0.0.0.0", 19000, 12.5, "ERROR", false, false, "sqlite:////tmp/x.db"),
            (overridden.Host, overridden.Port, overridden.DefaultTimeoutSeconds, overridden.LogLevel, overridden.RequireAuth, overridden.LocalhostBypass, overridden.DatabaseUrl));
    }

    [Fact]
    public void Model_config_variable_names_the_file()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("conf/custom.toml", "[server]\nport = 1234\n");

        var result = RouterConfigLoader.Load(Env(("LLM_ROUTER_MODEL_CONFIG", file)), dir.Path);

        Assert.Equal(file, result.Config.SourcePath);
        Assert.Equal(1234, result.Config.Server.Port);
    }

    [Fact]
    public void A_missing_named_file_is_an_error()
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<ConfigException>(() => RouterConfigLoader.Load(Env(("LLM_ROUTER_MODEL_CONFIG", "nope.toml")), dir.Path));

        Assert.Contains("nope.toml", error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_env_files_add_variables_without_overriding_set_ones()
    {
        using var dir = new TempDirectory();
        dir.Write(".env", """
            # comment
            LLM_ROUTER_PORT=9100
            export OPENAI_API_KEY="sk-from-dotenv"
            LLM_ROUTER_HOST=from-dotenv
            QUOTED='single # kept'
            INLINE=value # a comment
            """);
        dir.Write("router.toml", """
            [[providers]]
            name = "openai"
            type = "openai"
            api_key_env = "OPENAI_API_KEY"
            """);

        var result = RouterConfigLoader.Load(Env(("LLM_ROUTER_HOST", "from-process")), dir.Path);

        Assert.Equal(9100, result.Config.Server.Port);
        Assert.Equal("from-process", result.Config.Server.Host);
        Assert.Equal("sk-from-dotenv", result.Environment.Get("OPENAI_API_KEY"));
        Assert.Equal("single # kept", result.Environment.Get("QUOTED"));
        Assert.Equal("value", result.Environment.Get("INLINE"));
        Assert.DoesNotContain(result.Warnings, w => w.Message.Contains("OPENAI_API_KEY", StringComparison.Ordinal));
    }

    [Fact]
    public void Dot_env_beside_the_config_file_is_read_too()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("etc/router.toml", "[server]\n");
        dir.Write("etc/.env", "LLM_ROUTER_PORT=9200\n");

        var result = RouterConfigLoader.Load(Env(("LLM_ROUTER_MODEL_CONFIG", file)), dir.Path);

        Assert.Equal(9200, result.Config.Server.Port);
    }

    [Fact]
    public void Api_keys_variable_adds_admin_keys()
    {
        using var dir = new TempDirectory();

        var keys = RouterConfigLoader.Load(Env(("LLM_ROUTER_API_KEYS", "alpha, beta")), dir.Path).Config.ApiKeys;

        Assert.Equal(["alpha", "beta"], keys.Select(k => k.Key));
        Assert.All(keys, k => Assert.Equal(ApiKeyRoles.Admin, k.Role));
    }

    [Theory]
    [InlineData("LLM_ROUTER_PORT", "eighty")]
    [InlineData("LLM_ROUTER_PORT", "70000")]
    [InlineData("LLM_ROUTER_DEFAULT_TIMEOUT", "-1")]
    [InlineData("LLM_ROUTER_REQUIRE_AUTH", "maybe")]
    [InlineData("LLM_ROUTER_ROLES", "api,cpu")]
    [InlineData("LLM_ROUTER_ROLES", "api,silo")]
    public void Bad_environment_values_name_the_variable(string name, string value)
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<ConfigException>(() => RouterConfigLoader.Load(Env((name, value)), dir.Path));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_seed_section_binds()
    {
        using var dir = new TempDirectory();
        dir.Write("router.toml", """
            [server]
            host = "0.0.0.0"
            port = 18000

            [frontend]
            port = 3000
            api_url = "http://localhost:8000"
            api_base_url = "/api"

            [[providers]]
            name = "openai"
            type = "openai"
            api_key_env = "OPENAI_API_KEY"
            base_url = "https://api.openai.com"
            is_active = true
            settings = { endpoint = "/v1/chat/completions", allow_unlisted_models = true }

            [[providers]]
            name = "claude"
            type = "claude"
            api_key_env = "ANTHROPIC_API_KEY"

            [[models]]
            name = "gpt-4o"
            provider = "openai"
            display_name = "GPT-4o"
            tags = ["chat", "general", "image", "reasoning"]
            is_active = true
            fallbacks = ["claude/claude-3.5-sonnet"]
            [models.rate_limit]
            max_requests = 50
            per_seconds = 60
            burst_size = 100
            [models.config]
            context_window = "128k"
            supports_vision = true
            supports_tools = true
            languages = ["en", "zh"]
            cost_per_1k_tokens = 0.0005
            cost_per_1k_completion_tokens = 0.003

            [[models]]
            name = "claude-3.5-sonnet"
            provider = "claude"
            [models.config]
            model_path = "/models/x.gguf"
            context_size = 4096
            threads = 1
            gpu_layers = 0

            [[model_groups]]
            name = "pool"
            strategy = "roundrobin"
            members = [ { model = "openai/gpt-4o", weight = 3 }, { model = "claude/claude-3.5-sonnet" } ]

            [[api_keys]]
            key_env = "LLM_ROUTER_ADMIN_KEY"
            name = "管理员密钥"
            role = "admin"
            is_active = true
            allowed_models = ["openai/gpt-4o", "claude/claude-3.5-sonnet"]
            allowed_providers = ["openai", "claude"]
            pipeline = "think_tags"
            [api_keys.parameter_limits]
            max_tokens = 2000
            temperature = 0.7
            top_p = 0.9
            [api_keys.rate_limit]
            max_requests = 25
            per_seconds = 3600
            tokens_per_minute = 10000
            [api_keys.budget]
            limit_usd = 5
            period = "day"

            [cluster]
            node_id = "node-a"
            roles = ["api"]
            """);

        var result = RouterConfigLoader.Load(Env(("OPENAI_API_KEY", "x"), ("ANTHROPIC_API_KEY", "y"), ("LLM_ROUTER_ADMIN_KEY", "z")), dir.Path);
        var config = result.Config;

        Assert.Empty(result.Warnings);
        Assert.Equal(18000, config.Server.Port);
        Assert.Equal(("http://localhost:8000", "/api", 3000), (config.Frontend.ApiUrl, config.Frontend.ApiBaseUrl, config.Frontend.Port));
        var openai = config.Providers[0];
        Assert.Equal(("openai", "openai", "OPENAI_API_KEY", "https://api.openai.com"), (openai.Name, openai.Type, openai.ApiKeyEnv, openai.BaseUrl));
        Assert.Equal("/v1/chat/completions", openai.Setting("endpoint"));
        Assert.True(openai.SettingFlag("allow_unlisted_models"));
        var gpt = config.Models[0];
        Assert.Equal("openai/gpt-4o", gpt.Id);
        Assert.Equal(["chat", "general", "image", "reasoning"], gpt.Tags);
        Assert.Equal(["claude/claude-3.5-sonnet"], gpt.Fallbacks);
        Assert.Equal((50, 60.0, 100), (gpt.RateLimit!.MaxRequests, gpt.RateLimit.PerSeconds, gpt.RateLimit.BurstSize));
        Assert.Equal(("128k", true, true), (gpt.Config.ContextWindow, gpt.Config.SupportsVision, gpt.Config.SupportsTools));
        Assert.Equal(["en", "zh"], gpt.Config.Languages);
        Assert.Equal((0.0005m, 0.003m), (gpt.Config.CostPer1kTokens, gpt.Config.CostPer1kCompletionTokens));
        var local = config.Models[1].Config;
        Assert.Equal(("/models/x.gguf", 4096, 1, 0), (local.ModelPath, local.ContextSize, local.Threads, local.GpuLayers));
        var group = Assert.Single(config.ModelGroups);
        Assert.Equal([new ModelGroupMember("openai/gpt-4o", 3), new ModelGroupMember("claude/claude-3.5-sonnet", 100)], group.Members);
        var key = Assert.Single(config.ApiKeys);
        Assert.Equal(("管理员密钥", "admin", "LLM_ROUTER_ADMIN_KEY", "think_tags"), (key.Name, key.Role, key.KeyEnv, key.Pipeline));
        Assert.Equal(["openai", "claude"], key.AllowedProviders!);
        Assert.Equal((2000, 0.7, 0.9), (key.ParameterLimits!.MaxTokens, key.ParameterLimits.Temperature, key.ParameterLimits.TopP));
        Assert.Equal((25, 3600.0, 10000L), (key.RateLimit!.MaxRequests, key.RateLimit.PerSeconds, key.RateLimit.TokensPerMinute));
        Assert.Equal((5m, "day"), (key.Budget!.LimitUsd, key.Budget.Period));
        Assert.Equal("node-a", config.Cluster.NodeId);
        Assert.Equal(["api"], config.Cluster.Roles);
    }

    [Fact]
    public void The_example_router_toml_in_the_repository_loads_without_warnings_about_keys()
    {
        var root = RepositoryRoot();

        var result = RouterConfigLoader.LoadFile(Path.Combine(root, "router.toml"), Env());

        Assert.NotEmpty(result.Config.Providers);
        Assert.NotEmpty(result.Config.Models);
        Assert.DoesNotContain(result.Warnings, w => w.Message.Contains("unknown key", StringComparison.Ordinal));
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LlmRouter.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("LlmRouter.sln not found above the test binaries");
    }
}
