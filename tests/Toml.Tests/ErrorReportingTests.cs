using System.Text;
using Xunit;

namespace LlmRouter.Toml.Tests;

/// <summary>Error messages and the positions they report.</summary>
public sealed class ErrorReportingTests
{
    [Fact]
    public void Duplicate_key_names_the_first_definition()
    {
        var error = ParseError("host = \"a\"\nport = 80\nport = 81\n", "app.toml");

        Assert.Equal("app.toml:3:1: duplicate key 'port' (first defined at 2:1)", error.Message);
        Assert.Equal("duplicate key 'port' (first defined at 2:1)", error.Reason);
        Assert.Equal(("app.toml", 3, 1), (error.Source, error.Line, error.Column));
    }

    [Fact]
    public void Source_is_the_document_name_even_through_the_Exception_base_type()
    {
        Exception error = ParseError("a = ", "conf/router.toml");

        Assert.Equal("conf/router.toml", error.Source);
    }

    [Fact]
    public void Message_has_no_source_prefix_when_no_source_is_given()
    {
        var error = ParseError("a = 1\na = 2");

        Assert.Null(error.Source);
        Assert.Equal("2:1: duplicate key 'a' (first defined at 1:1)", error.Message);
    }

    [Theory]
    [InlineData("name = \"abc\n", 1, 8, "unterminated string")]
    [InlineData("name = \"abc", 1, 8, "unterminated string")]
    [InlineData("a = 1\ntext = \"\"\"abc\n\n", 2, 8, "unterminated multi-line string")]
    [InlineData("path = 'C:\\x", 1, 8, "unterminated string")]
    public void Unterminated_string_points_at_its_opening_quote(string toml, int line, int column, string reasonStart)
    {
        var error = ParseError(toml);

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith(reasonStart, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s = \"a\\qb\"", 7, "invalid escape sequence '\\q'")]
    [InlineData("s = \"\"\"\na\\qb\"\"\"", 2, "invalid escape sequence '\\q'")]
    [InlineData("s = \"\\uD800\"", 6, "escape sequence '\\uD800' is not a Unicode scalar value")]
    [InlineData("s = \"\\U00110000\"", 6, "escape sequence '\\U00110000' is not a Unicode scalar value")]
    [InlineData("s = \"\\u12\"", 6, "invalid escape sequence '\\u12\"': \\u needs exactly 4 hexadecimal digits")]
    public void Bad_escape_is_reported_at_the_backslash(string toml, int column, string reasonStart)
    {
        var error = ParseError(toml);

        Assert.Equal(column, error.Column);
        Assert.StartsWith(reasonStart, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_equals_names_the_key()
    {
        var error = ParseError("name \"router\"");

        Assert.Equal("1:6: expected '=' after key 'name', found '\"'", error.Message);
    }

    [Fact]
    public void Redefined_table_names_the_first_header()
    {
        var error = ParseError("[server]\nport = 1\n\n[server]\nhost = \"x\"\n");

        Assert.Equal("4:2: table 'server' is already defined (first defined at 1:1)", error.Message);
    }

    [Theory]
    [InlineData("[a]\nb.c = 1\n[a.b]", "table 'a.b' is already defined by dotted keys (first defined at 2:1)")]
    [InlineData("a = {b = 1}\na.c = 2", "cannot add keys to inline table 'a' (defined at 1:1): inline tables cannot be extended")]
    [InlineData("a = [1]\n[[a]]", "cannot add to 'a' with [[a]]: it is an array value (defined at 1:1), not an array of tables")]
    [InlineData("[[a]]\n[a]", "'a' is already an array of tables (first defined at 1:1); use [[a]] to add an element")]
    [InlineData("[a.b.c]\n[a]\nb.c.d = 1", "cannot add keys to table 'b.c' with dotted keys: it was defined by the header at 1:1")]
    [InlineData("x = 1\nx.y = 2", "cannot use 'x' as a table: it is already an integer (defined at 1:1)")]
    public void Redefinition_rules_explain_the_conflict(string toml, string reason)
    {
        Assert.Equal(reason, ParseError(toml).Reason);
    }

    [Fact]
    public void Invalid_utf8_byte_is_reported_at_its_line_and_column()
    {
        // Line 2 is `b = "éX"` where X is the invalid byte; é is one column however many bytes it takes.
        var input = Encoding.UTF8.GetBytes("a = 1\nb = \"é").Concat(new byte[] { 0xFF }).Concat("\"\n"u8.ToArray()).ToArray();

        var error = Assert.Throws<TomlException>(() => TomlParser.Parse(input, "bad.toml"));

        Assert.Equal((2, 7), (error.Line, error.Column));
        Assert.Equal("bad.toml:2:7: invalid UTF-8 byte 0xFF at byte offset 13", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x3D, 0xC0, 0x80 }, 3)]
    [InlineData(new byte[] { 0x61, 0x3D, 0xED, 0xA0, 0x80 }, 3)]
    [InlineData(new byte[] { 0x61, 0x3D, 0xF4, 0x90, 0x80, 0x80 }, 3)]
    [InlineData(new byte[] { 0x61, 0x3D, 0x22, 0xE2, 0x82 }, 4)]
    public void Overlong_surrogate_out_of_range_and_truncated_utf8_are_rejected(byte[] input, int column)
    {
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse(input));

        Assert.Equal((1, column), (error.Line, error.Column));
        Assert.StartsWith("invalid UTF-8 byte", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unpaired_surrogate_in_string_input_is_rejected()
    {
        var error = ParseError("a = \"x\uD800\"");

        Assert.Equal((1, 7), (error.Line, error.Column));
        Assert.StartsWith("unpaired UTF-16 surrogate U+D800", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Columns_count_unicode_scalar_values_and_tabs_as_one()
    {
        var error = ParseError("\tk = \"😀\u00E9\" x");

        Assert.Equal((1, 11), (error.Line, error.Column));
        Assert.Equal("expected end of line after value, found 'x'", error.Reason);
    }

    [Theory]
    [InlineData("a = 1\rb = 2", 1, 6)]
    [InlineData("a = \"\"\"x\ry\"\"\"", 1, 9)]
    [InlineData("# comment\r", 1, 10)]
    public void Carriage_return_without_line_feed_is_rejected(string toml, int line, int column)
    {
        var error = ParseError(toml);

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal("carriage return (U+000D) must be followed by a line feed", error.Reason);
    }

    [Theory]
    [InlineData("a = tru", "invalid value 'tru' (strings must be quoted)")]
    [InlineData("a = 1__0", "invalid number '1__0': '_' is only allowed between digits")]
    [InlineData("a = 012", "invalid number '012': leading zeros are not allowed")]
    [InlineData("a = 1.", "invalid float '1.': a digit is required after '.'")]
    [InlineData("a = 2023-02-29", "invalid date/time '2023-02-29': day 29 is out of range for 2023-02")]
    [InlineData("a = 07:32", "invalid date/time '07:32': expected a time as HH:MM:SS (TOML 1.0 requires the seconds)")]
    [InlineData("a = {b = 1,}", "a trailing comma is not allowed in an inline table (TOML 1.0)")]
    [InlineData("a = {b = 1,\n c = 2}", "an inline table must be closed on the line it starts (TOML 1.0), found end of line before '}'")]
    [InlineData("a =", "missing value for key 'a'")]
    public void Value_errors_say_what_is_wrong(string toml, string reason)
    {
        Assert.Equal(reason, ParseError(toml).Reason);
    }

    private static TomlException ParseError(string toml, string? source = null) =>
        Assert.Throws<TomlException>(() => TomlParser.Parse(toml, source));
}
