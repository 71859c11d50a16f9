using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Configuration.Tests;

/// <summary>router.toml keys: parameter limits within the ranges the APIs accept, unique names; log levels only by known names.</summary>
public sealed class KeyAndLogLevelValidationTests
{
    private static string Key(string limits) => $"""
        [[api_keys]]
        name = "k"
        key = "sk-test-key-0001"
        [api_keys.parameter_limits]
        {limits}
        """;

    [Theory]
    [InlineData("temperature = 7", "'temperature' in [[api_keys]] #1.parameter_limits must be a number from 0 to 2, not 7")]
    [InlineData("temperature = -0.5", "'temperature' in [[api_keys]] #1.parameter_limits must be a number from 0 to 2, not -0.5")]
    [InlineData("top_p = 1.01", "'top_p' in [[api_keys]] #1.parameter_limits must be a number from 0 to 1, not 1.01")]
    [InlineData("max_tokens = 0", "'max_tokens' in [[api_keys]] #1.parameter_limits must be between 1 and 2147483647, not 0")]
    public void Out_of_range_parameter_limits_point_at_the_value(string limits, string reason)
    {
        var error = ValidationTests.Fails(Key(limits));

        Assert.Equal((5, limits.IndexOf('=', StringComparison.Ordinal) + 3), (error.Line, error.Column));
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Limits_at_the_edges_of_their_ranges_load()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", Key("temperature = 2.0\ntop_p = 0\nmax_tokens = 1"));

        var limits = RouterConfigLoader.LoadFile(file, new RouterEnvironment([])).Config.ApiKeys[0].ParameterLimits!;

        Assert.Equal((2.0, 0.0, 1), (limits.Temperature, limits.TopP, limits.MaxTokens));
    }

    [Fact]
    public void Two_keys_with_one_name_point_at_the_second()
    {
        var error = ValidationTests.Fails("""
            [[api_keys]]
            name = "team"
            key = "sk-test-key-0001"

            [[api_keys]]
            name = "team"
            key = "sk-test-key-0002"
            """);

        Assert.Equal((6, 1), (error.Line, error.Column));
        Assert.Equal("api key 'team' is defined twice (first at 2:1)", error.Reason);
    }

    [Fact]
    public void An_unknown_log_level_in_the_file_points_at_it()
    {
        var error = ValidationTests.Fails("[server]\nlog_level = \"verbose\"\n");

        Assert.Equal((2, 13), (error.Line, error.Column));
        Assert.Equal("log_level 'verbose' in [server] must be one of TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL, NONE", error.Reason);
    }

    [Fact]
    public void An_unknown_log_level_in_the_environment_names_the_variable()
    {
        var error = Assert.Throws<ConfigException>(() => RouterConfigLoader.LoadFile(null, new RouterEnvironment(new Dictionary<string, string> { ["LLM_ROUTER_LOG_LEVEL"] = "verbose" })));

        Assert.Equal("environment variable LLM_ROUTER_LOG_LEVEL='verbose' must be one of TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL, NONE", error.Message);
    }

    [Theory]
    [InlineData("debug", "debug")]
    [InlineData("WARNING", "WARNING")]
    [InlineData(" Info ", " Info ")]
    [InlineData("", "INFO")]
    public void Known_log_levels_load_in_any_case(string variable, string expected)
    {
        var loaded = RouterConfigLoader.LoadFile(null, new RouterEnvironment(new Dictionary<string, string> { ["LLM_ROUTER_LOG_LEVEL"] = variable }));

        Assert.Equal(expected, loaded.Config.Server.LogLevel);
    }
}
