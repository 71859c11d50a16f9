using System.Text;
using LlmRouter.Abstractions.Configuration;
using Tomlyn.Parsing;

namespace LlmRouter.Configuration.Tests;

/// <summary>How router.toml is read (Tomlyn's parser, the project's table rules): errors with both positions, bad bytes, several errors at once.</summary>
public sealed class TomlReadingTests
{
    private static readonly RouterEnvironment NoVariables = new([]);

    private static ConfigException Fails(byte[] content, out string file)
    {
        using var dir = new TempDirectory();
        file = Path.Combine(dir.Path, "router.toml");
        File.WriteAllBytes(file, content);
        var path = file;
        return Assert.Throws<ConfigException>(() => RouterConfigLoader.LoadFile(path, NoVariables));
    }

    private static ConfigException Fails(string toml, out string file) => Fails(Encoding.UTF8.GetBytes(toml), out file);

    [Fact]
    public void A_duplicate_key_is_refused_naming_both_definitions()
    {
        var error = Fails("[server]\nport = 80\nport = 81\n", out var file);

        Assert.Equal($"{file}:3:1: duplicate key 'port' (first defined at 2:1)", error.Message);
    }

    [Fact]
    public void A_redefined_table_is_refused_naming_both_headers()
    {
        var error = Fails("[server]\nport = 1\n\n[server]\nhost = \"x\"\n", out var file);

        Assert.Equal($"{file}:4:2: table 'server' is already defined (first defined at 1:1)", error.Message);
    }

    [Theory]
    [InlineData("[[providers]]\nname = 1\n[providers.name]\n", "3:12: duplicate key 'providers.name'", "(first defined at 2:1)")]
    [InlineData("[[providers]]\nsettings.a = 1\n[providers.settings]\n", "3:12: table 'providers.settings' is already defined by dotted keys", "(first defined at 2:1)")]
    [InlineData("providers = [1]\n[[providers]]\n", "2:3: cannot add to 'providers' with [[providers]]", "(defined at 1:1)")]
    [InlineData("[server]\nhost = { a = 1 }\n[server.host]\n", "3:9: table 'server.host' is already defined as an inline table", "(first defined at 2:1)")]
    public void A_table_defined_twice_in_any_other_way_is_refused_naming_both_places(string toml, string second, string first)
    {
        var error = Fails(toml, out var file);

        Assert.StartsWith($"{file}:{second}", error.Message, StringComparison.Ordinal);
        Assert.Contains(first, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sub_table_belongs_to_its_own_array_element()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", "[[routing_rules]]\nname = \"a\"\n[routing_rules.action]\nuse_model = \"p/m\"\n\n[[routing_rules]]\nname = \"b\"\naction = { use_model = \"p/n\" }\n");

        var rules = RouterConfigLoader.LoadFile(file, NoVariables).Config.RoutingRules;

        Assert.Equal([("a", "p/m"), ("b", "p/n")], rules.Select(r => (r.Name, r.Action.Target)));
    }

    [Fact]
    public void Tomlyn_validation_still_misfiles_sub_tables_of_array_elements_so_the_table_rules_stay_the_projects()
    {
        // Tomlyn 2.11.1 files [a.b] under the next [[a]] element. When this fails, its validation has been fixed and
        // SyntaxParser.Parse(validate: true) could take over from TomlTableTree's rules.
        Assert.True(SyntaxParser.Parse("[[a]]\n[a.b]\nx = 1\n[[a]]\nb = { x = 2 }\n", validate: true).HasErrors);
        Assert.False(SyntaxParser.Parse("[[a]]\nb = 1\n[a.b]\n", validate: true).HasErrors);
    }

    [Fact]
    public void A_key_then_a_table_of_the_same_name_in_one_array_element_is_refused()
    {
        var error = Fails("[[a]]\nb = 1\n[a.b]\n", out var file);

        Assert.Equal($"{file}:3:4: duplicate key 'a.b' (first defined at 2:1): it is already an integer", error.Message);
    }

    [Fact]
    public void Invalid_utf8_is_reported_at_the_line_and_column_of_the_first_bad_byte()
    {
        // Line 2 is `host = "éX"` where X is the bad byte; é is one column however many bytes it takes.
        var content = Encoding.UTF8.GetBytes("[server]\nhost = \"é").Concat(new byte[] { 0xFF }).Concat("\"\n"u8.ToArray()).ToArray();

        var error = Fails(content, out var file);

        Assert.Equal($"{file}:2:10: invalid UTF-8 byte 0xFF at byte offset 19", error.Message);
        Assert.Equal((file, 2, 10), (error.File, error.Line, error.Column));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x61, 0x00 }, 1, 1)]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0x61, 0x3D, 0xC0, 0x80 }, 1, 3)]
    [InlineData(new byte[] { 0x61, 0x3D, 0xED, 0xA0, 0x80 }, 1, 3)]
    [InlineData(new byte[] { 0x61, 0x3D, 0x31, 0x0A, 0x62, 0x3D, 0x22, 0xE2, 0x82 }, 2, 4)]
    public void A_utf16_file_overlong_surrogate_and_truncated_utf8_are_refused_at_their_position(byte[] content, int line, int column)
    {
        var error = Fails(content, out _);

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith("invalid UTF-8 byte", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_syntax_error_is_reported_in_file_order()
    {
        var error = Fails("[server]\nport = 1__0\nhost = \n", out var file);

        Assert.Equal((2, 10), (error.Line, error.Column));
        Assert.Equal(2, error.Problems.Count);
        var lines = error.Message.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{file}:2:10: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{file}:3:8: ", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(200_000)]
    public void Nesting_beyond_the_parser_limit_is_refused_at_the_bracket_too_deep_not_a_crash(int depth)
    {
        var error = Fails($"[server]\nx = {new string('[', depth)}{new string(']', depth)}\n", out var file);

        // The root table is the first level: the 64th bracket, at column 4 + 64, is the 65th.
        Assert.StartsWith($"{file}:2:68: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("maximum depth", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_nested_deeper_than_the_limit_by_dotted_keys_are_refused()
    {
        var key = string.Join('.', Enumerable.Repeat("k", Toml.TomlDocumentReader.MaxNestingDepth + 2));

        var error = Fails($"{key} = 1\n", out _);

        Assert.StartsWith("nesting is too deep", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Toml_1_1_is_read_times_without_seconds_hex_escapes_and_multi_line_inline_tables()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", "[[providers]]\nname = \"p\"\ntype = \"openai\"\nsettings = {\n  at = 07:32,\n  mark = \"\\xE9\",\n}\n");

        var settings = RouterConfigLoader.LoadFile(file, NoVariables).Config.Providers[0].Settings;

        Assert.Equal("07:32:00", settings["at"]);
        Assert.Equal("é", settings["mark"]);
    }
}
