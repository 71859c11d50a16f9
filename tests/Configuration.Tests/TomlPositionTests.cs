using System.Text;
using LlmRouter.Configuration.Toml;

namespace LlmRouter.Configuration.Tests;

/// <summary>Where values and keys were written, as the binder's messages report them (1-based, from Tomlyn's 0-based spans).</summary>
public sealed class TomlPositionTests
{
    private static TomlTable Read(string toml) => TomlDocumentReader.Read(Encoding.UTF8.GetBytes(toml), null, []);

    [Fact]
    public void Key_and_value_positions_of_a_plain_pair()
    {
        var document = Read("\n  name = \"router\"\n");

        Assert.Equal(new TomlPosition(2, 3), document.GetKeyPosition("name"));
        Assert.Equal(new TomlPosition(2, 10), document["name"].Position);
    }

    [Fact]
    public void Dotted_key_tables_start_at_the_segment_that_created_them()
    {
        var document = Read("a.b.c = 1\na.b.d = 2\n");

        var a = Assert.IsType<TomlTable>(document["a"]);
        var b = Assert.IsType<TomlTable>(a["b"]);
        Assert.Equal(new TomlPosition(1, 1), a.Position);
        Assert.Equal(new TomlPosition(1, 3), a.GetKeyPosition("b"));
        Assert.Equal(new TomlPosition(1, 3), b.Position);
        Assert.Equal(new TomlPosition(1, 5), b.GetKeyPosition("c"));
        Assert.Equal(new TomlPosition(2, 5), b.GetKeyPosition("d"));
        Assert.Equal(new TomlPosition(2, 9), b["d"].Position);
    }

    [Fact]
    public void Header_tables_use_the_header_position_and_an_implied_table_moves_to_its_own_header()
    {
        var document = Read("title = \"x\"\n\n[server.http]\nport = 8080\n[server]\nhost = \"h\"\n");

        var server = Assert.IsType<TomlTable>(document["server"]);
        var http = Assert.IsType<TomlTable>(server["http"]);
        Assert.Equal(new TomlPosition(5, 1), document.GetKeyPosition("server"));
        Assert.Equal(new TomlPosition(5, 1), server.Position);
        Assert.Equal(new TomlPosition(3, 1), server.GetKeyPosition("http"));
        Assert.Equal(new TomlPosition(3, 1), http.Position);
        Assert.Equal(new TomlPosition(4, 8), http["port"].Position);
    }

    [Fact]
    public void Array_of_tables_elements_start_at_their_own_headers()
    {
        var document = Read("[[model]]\nname = \"a\"\n\n[[model]]\nname = \"b\"\n");

        var models = Assert.IsType<TomlArray>(document["model"]);
        Assert.True(models.IsArrayOfTables);
        Assert.Equal(new TomlPosition(1, 1), models.Position);
        Assert.Equal(new TomlPosition(4, 1), models[1].Position);
        Assert.Equal(new TomlPosition(5, 1), ((TomlTable)models[1]).GetKeyPosition("name"));
    }

    [Fact]
    public void Array_elements_and_inline_table_entries_have_positions()
    {
        var document = Read("list = [\n  1,\n  { k = 'v' },\n]\n");

        var list = Assert.IsType<TomlArray>(document["list"]);
        Assert.False(list.IsArrayOfTables);
        Assert.Equal(new TomlPosition(1, 8), list.Position);
        Assert.Equal(new TomlPosition(2, 3), list[0].Position);
        var inline = Assert.IsType<TomlTable>(list[1]);
        Assert.Equal(new TomlPosition(3, 3), inline.Position);
        Assert.Equal(new TomlPosition(3, 5), inline.GetKeyPosition("k"));
        Assert.Equal(new TomlPosition(3, 9), inline["k"].Position);
    }

    [Fact]
    public void Columns_count_surrogate_pairs_once_and_ignore_the_byte_order_mark()
    {
        var document = Read("\uFEFFt = {x = \"😀😀\", y = 1}\n\"😀\" = 2\n");

        var table = Assert.IsType<TomlTable>(document["t"]);
        Assert.Equal(new TomlPosition(1, 1), document.GetKeyPosition("t"));
        Assert.Equal(new TomlPosition(1, 16), table.GetKeyPosition("y"));
        Assert.Equal(new TomlPosition(1, 20), table["y"].Position);
        Assert.Equal(new TomlPosition(2, 7), document["😀"].Position);
    }

    [Fact]
    public void Keys_keep_their_order()
    {
        var document = Read("z = 1\na = 2\n[m]\n[b]\n");

        Assert.Equal(["z", "a", "m", "b"], document.Keys);
    }
}
