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
    public void A_q8_0_tensor_is_stored_as_a_half_scale_and_32_rounded_bytes_per_block()
    {
        // -4, -3.75, ..., 3.75: the scale is 4 / 127, so a value v is stored as round(v * 31.75).
        var values = Enumerable.Range(-16, 32).Select(i => i / 4f).ToArray();
        using var stream = new MemoryStream();
        new GgufWriter().AddTensor("q", [32], values, GgufTensorType.Q8_0).WriteTo(stream);
        var bytes = stream.ToArray();

        // One 34-byte block, padded to 64.
        var block = bytes.AsSpan(bytes.Length - 64, 34);
        Assert.Equal((Half)(4f / 127), BinaryPrimitives.ReadHalfLittleEndian(block));
        var quants = block[2..].ToArray().Select(b => (int)(sbyte)b).ToArray();
        Assert.Equal((-127, -16, 0, 8, 119), (quants[0], quants[14], quants[16], quants[17], quants[31]));
        Assert.All(bytes.AsSpan(bytes.Length - 30).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_q8_0_tensor_whose_rows_are_not_whole_blocks_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new GgufWriter().AddTensor("q", [48, 2], new float[96], GgufTensorType.Q8_0));
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
