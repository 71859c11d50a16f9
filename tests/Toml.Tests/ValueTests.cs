using Xunit;

namespace LlmRouter.Toml.Tests;

/// <summary>Decoded values for the parts of TOML where the parser makes choices: newlines, fractions, offsets, redefinition edge cases.</summary>
public sealed class ValueTests
{
    [Theory]
    [InlineData("s = \"tab\\tquote\\\"slash\\\\ \\u00E9 \\U0001F600\"", "tab\tquote\"slash\\ é 😀")]
    [InlineData("s = \"\"\"\r\nline1\r\nline2\"\"\"", "line1\nline2")]
    [InlineData("s = \"\"\"a \\\r\n\r\n    b\"\"\"", "a b")]
    [InlineData("s = \"\"\"a \\   \n  b\"\"\"", "a b")]
    [InlineData("s = \"\"\"\"\"x\"\"\"\"\"", "\"\"x\"\"")]
    [InlineData("s = '''''x'''''", "''x''")]
    [InlineData("s = 'C:\\path\\n'", "C:\\path\\n")]
    [InlineData("s = '''\nraw\r\ntext'''", "raw\ntext")]
    public void Strings_decode_escapes_and_normalise_line_breaks(string toml, string expected)
    {
        Assert.Equal(expected, Assert.IsType<TomlString>(TomlParser.Parse(toml)["s"]).Value);
    }

    [Theory]
    [InlineData("1979-05-27T07:32:00.999999-07:00", TomlValueKind.OffsetDateTime, "1979-05-27T07:32:00.999999-07:00")]
    [InlineData("1979-05-27t07:32:00z", TomlValueKind.OffsetDateTime, "1979-05-27T07:32:00Z")]
    [InlineData("1979-05-27 07:32:00+00:00", TomlValueKind.OffsetDateTime, "1979-05-27T07:32:00+00:00")]
    [InlineData("1979-05-27T07:32:00.123456789Z", TomlValueKind.OffsetDateTime, "1979-05-27T07:32:00.1234567Z")]
    [InlineData("1979-05-27T07:32:00", TomlValueKind.LocalDateTime, "1979-05-27T07:32:00")]
    [InlineData("2024-02-29", TomlValueKind.LocalDate, "2024-02-29")]
    [InlineData("07:32:00.50", TomlValueKind.LocalTime, "07:32:00.50")]
    public void Date_times_keep_their_kind_and_written_precision(string literal, TomlValueKind kind, string rfc3339)
    {
        var value = Assert.IsType<TomlDateTime>(TomlParser.Parse($"d = {literal}")["d"]);

        Assert.Equal(kind, value.Kind);
        Assert.Equal(rfc3339, value.ToRfc3339());
    }

    [Fact]
    public void Offset_date_time_exposes_its_parts()
    {
        var value = Assert.IsType<TomlDateTime>(TomlParser.Parse("d = 1979-05-27T07:32:00.5-07:30")["d"]);

        Assert.Equal(new DateOnly(1979, 5, 27), value.Date);
        Assert.Equal(new TimeOnly(7, 32, 0, 500), value.Time);
        Assert.Equal(new TimeSpan(-7, -30, 0), value.Offset);
    }

    [Theory]
    [InlineData("inf", double.PositiveInfinity, "inf")]
    [InlineData("-inf", double.NegativeInfinity, "-inf")]
    [InlineData("+nan", double.NaN, "nan")]
    [InlineData("-0.0", -0.0, "-0")]
    [InlineData("6.626e-34", 6.626e-34, "6.626E-34")]
    [InlineData("1_000.000_1", 1000.0001, "1000.0001")]
    public void Floats_parse_and_encode_as_tagged_json(string literal, double expected, string json)
    {
        var document = TomlParser.Parse($"f = {literal}");

        Assert.Equal(expected, Assert.IsType<TomlFloat>(document["f"]).Value);
        Assert.Equal($"{{\"f\":{{\"type\":\"float\",\"value\":\"{json}\"}}}}", TomlTaggedJson.ToJson(document));
    }

    [Fact]
    public void Arrays_may_mix_types_and_span_lines_with_comments()
    {
        var array = Assert.IsType<TomlArray>(TomlParser.Parse("a = [ # start\n  1, 'two', # two\n  [3.0], {four = 4},\n]")["a"]);

        Assert.Equal(
            [TomlValueKind.Integer, TomlValueKind.String, TomlValueKind.Array, TomlValueKind.Table],
            array.Select(item => item.Kind));
    }

    [Fact]
    public void Dotted_keys_may_define_a_table_only_implied_by_a_header()
    {
        var document = TomlParser.Parse("[a.b.c]\nx = 1\n[a]\nb.y = 2\n");

        var b = (TomlTable)((TomlTable)document["a"])["b"];
        Assert.Equal(["c", "y"], b.Keys);
    }

    [Fact]
    public void Header_cannot_define_a_table_once_dotted_keys_defined_it()
    {
        Assert.Throws<TomlException>(() => TomlParser.Parse("[a.b.c]\n[a]\nb.y = 2\n[a.b]\n"));
    }

    [Fact]
    public void Header_may_add_sub_tables_below_a_dotted_key_table()
    {
        var document = TomlParser.Parse("[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true\n");

        var apple = (TomlTable)((TomlTable)document["fruit"])["apple"];
        Assert.Equal(["color", "texture"], apple.Keys);
        Assert.False(apple.IsInline);
    }

    [Fact]
    public void Dotted_keys_inside_an_inline_table_make_inline_sub_tables()
    {
        var table = Assert.IsType<TomlTable>(TomlParser.Parse("t = {a.b = 1, a.c = 2}")["t"]);

        var a = Assert.IsType<TomlTable>(table["a"]);
        Assert.True(a.IsInline);
        Assert.Equal(["b", "c"], a.Keys);
    }
}
