using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Configuration.Tests;

/// <summary>Wrong types, missing keys and bad references are errors naming file:line:column; unknown keys are warnings.</summary>
public sealed class ValidationTests
{
    private static readonly RouterEnvironment NoVariables = new([]);

    /// <summary>Loads <paramref name="toml"/> as router.toml, asserting that it fails with an error naming file:line:column.</summary>
    internal static ConfigException Fails(string toml)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", toml);
        var error = Assert.Throws<ConfigException>(() => RouterConfigLoader.LoadFile(file, NoVariables));
        Assert.Equal(file, error.File);
        Assert.StartsWith($"{file}:{error.Line}:{error.Column}: ", error.Message, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public void Toml_syntax_errors_keep_their_position()
    {
        var error = Fails("[server]\nport = 80\nport = 81\n");

        Assert.Equal((3, 1), (error.Line, error.Column));
        Assert.Contains("duplicate key 'port'", error.Reason, StringComparison.Ordinal);
        Assert.Contains("2:1", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_type_points_at_the_value()
    {
        var error = Fails("[server]\nhost = \"h\"\nport = \"8000\"\n");

        Assert.Equal((3, 8), (error.Line, error.Column));
        Assert.Equal("'port' in [server] must be an integer, not a string", error.Reason);
    }

    [Fact]
    public void An_out_of_range_port_is_refused()
    {
        var error = Fails("[server]\nport = 70000\n");

        Assert.Equal((2, 8), (error.Line, error.Column));
        Assert.Contains("between 0 and 65535", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_key_points_at_its_table()
    {
        var error = Fails("[server]\nport = 1\n\n[[providers]]\ntype = \"openai\"\n");

        Assert.Equal(4, error.Line);
        Assert.Equal("[[providers]] #1 needs 'name' (a non-empty string)", error.Reason);
    }

    [Fact]
    public void An_unknown_provider_type_lists_the_known_ones()
    {
        var error = Fails("[[providers]]\nname = \"x\"\ntype = \"openia\"\n");

        Assert.Equal((3, 8), (error.Line, error.Column));
        Assert.Contains("unknown provider type 'openia'", error.Reason, StringComparison.Ordinal);
        Assert.Contains("openai", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_naming_an_undefined_provider_is_refused()
    {
        var error = Fails("[[providers]]\nname = \"a\"\ntype = \"openai\"\n\n[[models]]\nname = \"m\"\nprovider = \"b\"\n");

        Assert.Equal((7, 1), (error.Line, error.Column));
        Assert.Contains("provider 'b'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_models_and_providers_name_the_first_definition()
    {
        var models = Fails("[[providers]]\nname = \"a\"\ntype = \"openai\"\n[[models]]\nname = \"m\"\nprovider = \"a\"\n[[models]]\nname = \"m\"\nprovider = \"a\"\n");
        var providers = Fails("[[providers]]\nname = \"a\"\ntype = \"openai\"\n[[providers]]\nname = \"a\"\ntype = \"glm\"\n");

        Assert.Equal((8, 1), (models.Line, models.Column));
        Assert.Equal("model 'a/m' is defined twice (first at 5:1)", models.Reason);
        Assert.Equal((5, 1), (providers.Line, providers.Column));
        Assert.Equal("provider 'a' is defined twice (first at 2:1)", providers.Reason);
    }

    [Theory]
    [InlineData("[[providers]]\nname = \"a\"\ntype = \"openai\"\nbase_url = \"not a url\"\n", 4, "not an absolute http(s) URL")]
    [InlineData("[[api_keys]]\nname = \"k\"\nkey = \"s\"\nrole = \"root\"\n", 4, "must be \"admin\" or \"user\"")]
    [InlineData("[[api_keys]]\nname = \"k\"\n", 1, "needs 'key_env'")]
    [InlineData("[[api_keys]]\nname = \"k\"\nkey = \"s\"\n[api_keys.parameter_limits]\ntemperature = -1\n", 5, "must be a number from 0 to 2")]
    [InlineData("[[providers]]\nname = \"a\"\ntype = \"openai\"\n[[models]]\nname = \"m\"\nprovider = \"a\"\n[models.rate_limit]\nmax_requests = 0\n", 8, "between 1 and")]
    [InlineData("[[providers]]\nname = \"a\"\ntype = \"openai\"\n[[models]]\nname = \"m\"\nprovider = \"a\"\ntags = [\"x\", 1]\n", 7, "array of strings")]
    [InlineData("[[model_groups]]\nname = \"g\"\nstrategy = \"fastest\"\nmembers = [{ model = \"a/b\" }]\n", 3, "must be one of roundrobin")]
    [InlineData("[[model_groups]]\nname = \"g\"\nmembers = [{ model = \"a/b\" }]\n", 3, "neither a defined model")]
    [InlineData("[cluster]\nroles = [\"api\", \"cpu\"]\n", 2, "role 'cpu'")]
    [InlineData("[cluster]\nroles = [\"api\", \"gpu\"]\n", 2, "role 'api' (a front-end that hosts no grain) cannot be combined")]
    [InlineData("[cluster]\nroles = []\n", 2, "no role given")]
    [InlineData("server = 5\n", 1, "'server' in the document must be a table, not an integer")]
    public void Semantic_errors_name_their_line(string toml, int line, string reason)
    {
        var error = Fails(toml);

        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_are_warnings_with_their_position()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", "[server]\nport = 1\nprot = 2\n\n[extra]\nx = 1\n");

        var result = RouterConfigLoader.LoadFile(file, NoVariables);

        Assert.Equal(1, result.Config.Server.Port);
        Assert.Equal(
            [$"{file}:3:1: unknown key 'prot' in [server] is ignored", $"{file}:5:1: unknown key 'extra' in the document is ignored"],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Unset_key_variables_are_warnings()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", "[[providers]]\nname = \"a\"\ntype = \"openai\"\napi_key_env = \"NOT_SET_ANYWHERE\"\n");

        var result = RouterConfigLoader.LoadFile(file, NoVariables);

        Assert.Contains(result.Warnings, w => w.Message.Contains("NOT_SET_ANYWHERE is not set", StringComparison.Ordinal));
    }
}
