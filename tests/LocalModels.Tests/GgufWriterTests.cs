using System.Buffers.Binary;
using System.Text;
using LlmRouter.LocalModels.Gguf;

namespace LlmRouter.LocalModels.Tests;

public sealed class GgufWriterTests
{
    [Fact]
    public void The_file_starts_with_the_gguf_v3_header_and_aligns_tensor_data()
    {
        var writer = new GgufWriter().Add("general.architecture", "llama").AddTensor("t", [3], [1f, 2f, 3f]);
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        var bytes = stream.ToArray();

        Assert.Equal("GGUF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(1ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(1ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
        // Data section: aligned to 32, holding the 3 floats, padded to 32.
        Assert.Equal(0, bytes.Length % 32);
        var data = bytes.AsSpan(bytes.Length - 32);
        Assert.Equal(2f, BinaryPrimitives.ReadSingleLittleEndian(data[4..]));
    }

    [Fact]
    public void A_tensor_whose_data_does_not_fill_its_dimensions_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new GgufWriter().AddTensor("t", [2, 2], [1f, 2f, 3f]));
    }

    [Fact]
    public void The_same_seed_writes_the_same_model()
    {
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        using var c = new MemoryStream();
        TinyLlamaGguf.Build(seed: 5).WriteTo(a);
        TinyLlamaGguf.Build(seed: 5).WriteTo(b);
        TinyLlamaGguf.Build(seed: 6).WriteTo(c);
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.NotEqual(a.ToArray(), c.ToArray());
    }
}
