using System.Text;
using Xunit;

namespace LlmRouter.Toml.Tests;

/// <summary><see cref="TomlValue.Position"/> and <see cref="TomlTable.GetKeyPosition"/>.</summary>
public sealed class PositionTests
{
    [Fact]
    public void Key_and_value_positions_of_a_plain_pair()
    {
        var document = TomlParser.Parse("\n  name = \"router\"\n");

        Assert.Equal(new TomlPosition(2, 3), document.GetKeyPosition("name"));
        Assert.Equal(new TomlPosition(2, 10), document["name"].Position);
    }

    [Fact]
    public void Dotted_key_tables_start_at_the_segment_that_created_them()
    {
        var document = TomlParser.Parse("a.b.c = 1\na.b.d = 2\n");

        var a = Assert.IsType<TomlTable>(document["a"]);
        var b = Assert.IsType<TomlTable>(a["b"]);
        Assert.Equal(new TomlPosition(1, 1), document.GetKeyPosition("a"));
        Assert.Equal(new TomlPosition(1, 1), a.Position);
        Assert.Equal(new TomlPosition(1, 3), a.GetKeyPosition("b"));
        Assert.Equal(new TomlPosition(1, 3), b.Position);
        Assert.Equal(new TomlPosition(1, 5), b.GetKeyPosition("c"));
        Assert.Equal(new TomlPosition(2, 5), b.GetKeyPosition("d"));
        Assert.Equal(new TomlPosition(2, 9), b["d"].Position);
    }

    [Fact]
    public void Header_tables_use_the_header_position()
    {
        var document = TomlParser.Parse("title = \"x\"\n\n[server.http]\nport = 8080\n");

        var server = Assert.IsType<TomlTable>(document["server"]);
        var http = Assert.IsType<TomlTable>(server["http"]);
        Assert.Equal(new TomlPosition(3, 1), document.GetKeyPosition("server"));
        Assert.Equal(new TomlPosition(3, 1), server.Position);
        Assert.Equal(new TomlPosition(3, 1), server.GetKeyPosition("http"));
        Assert.Equal(new TomlPosition(3, 1), http.Position);
        Assert.Equal(new TomlPosition(4, 1), http.GetKeyPosition("port"));
        Assert.Equal(new TomlPosition(4, 8), http["port"].Position);
    }

    [Fact]
    public void Implied_table_moves_to_its_explicit_header()
    {
        var document = TomlParser.Parse("[a.b]\nx = 1\n[a]\ny = 2\n");

        var a = Assert.IsType<TomlTable>(document["a"]);
        Assert.Equal(new TomlPosition(3, 1), a.Position);
        Assert.Equal(new TomlPosition(3, 1), document.GetKeyPosition("a"));
        Assert.Equal(new TomlPosition(1, 1), a.GetKeyPosition("b"));
    }

    [Fact]
    public void Array_of_tables_elements_start_at_their_own_headers()
    {
        var document = TomlParser.Parse("[[model]]\nname = \"a\"\n\n[[model]]\nname = \"b\"\n");

        var models = Assert.IsType<TomlArray>(document["model"]);
        Assert.True(models.IsArrayOfTables);
        Assert.Equal(new TomlPosition(1, 1), models.Position);
        Assert.Equal(new TomlPosition(1, 1), document.GetKeyPosition("model"));
        Assert.Equal(new TomlPosition(1, 1), models[0].Position);
        Assert.Equal(new TomlPosition(4, 1), models[1].Position);
        Assert.Equal(new TomlPosition(5, 1), ((TomlTable)models[1]).GetKeyPosition("name"));
    }

    [Fact]
    public void Array_elements_and_inline_table_entries_have_positions()
    {
        var document = TomlParser.Parse("list = [\n  1,\n  { k = 'v' },\n]\n");

        var list = Assert.IsType<TomlArray>(document["list"]);
        Assert.False(list.IsArrayOfTables);
        Assert.Equal(new TomlPosition(1, 8), list.Position);
        Assert.Equal(new TomlPosition(2, 3), list[0].Position);
        var inline = Assert.IsType<TomlTable>(list[1]);
        Assert.True(inline.IsInline);
        Assert.Equal(new TomlPosition(3, 3), inline.Position);
        Assert.Equal(new TomlPosition(3, 5), inline.GetKeyPosition("k"));
        Assert.Equal(new TomlPosition(3, 9), inline["k"].Position);
    }

    [Fact]
    public void Columns_count_surrogate_pairs_once_and_ignore_the_byte_order_mark()
    {
        var document = TomlParser.Parse(Encoding.UTF8.GetBytes("\uFEFFt = {x = \"😀😀\", y = 1}\n\"😀\" = 2\n"));

        var table = Assert.IsType<TomlTable>(document["t"]);
        Assert.Equal(new TomlPosition(1, 1), document.GetKeyPosition("t"));
        Assert.Equal(new TomlPosition(1, 16), table.GetKeyPosition("y"));
        Assert.Equal(new TomlPosition(1, 20), table["y"].Position);
        Assert.Equal(new TomlPosition(2, 7), document["😀"].Position);
    }

    [Fact]
    public void Keys_keep_insertion_order()
    {
        var document = TomlParser.Parse("z = 1\na = 2\n[m]\n[b]\n");

        Assert.Equal(["z", "a", "m", "b"], document.Keys);
        Assert.Equal(["z", "a", "m", "b"], document.Select(pair => pair.Key));
    }

    [Fact]
    public void Unknown_key_position_throws_KeyNotFoundException()
    {
        var document = TomlParser.Parse("a = 1");

        Assert.Throws<KeyNotFoundException>(() => document.GetKeyPosition("b"));
        Assert.False(document.TryGetKeyPosition("b", out _));
    }
}
