using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace LlmRouter.LocalModels.Gguf;

/// <summary>
/// Writes a GGUF version 3 file: metadata key/values, then tensor descriptions, then the 32-byte aligned tensor
/// data. Tensors are given as 32-bit floats and stored as such or quantized to Q8_0; dimensions are given innermost
/// first, as ggml's <c>ne</c>.
/// </summary>
public sealed class GgufWriter
{
    private const uint Magic = 0x46554747; // "GGUF" read as a little-endian uint32
    private const uint Version = 3;
    private const int Alignment = 32;
    private const int Q8Block = 32;

    private readonly List<(string Key, GgufValueType Type, Action<BinaryWriter> Write)> _metadata = [];
    private readonly List<(string Name, long[] Dimensions, float[] Data, GgufTensorType Type)> _tensors = [];

    public GgufWriter Add(string key, string value) => Add(key, GgufValueType.String, w => WriteString(w, value));

    public GgufWriter Add(string key, uint value) => Add(key, GgufValueType.UInt32, w => w.Write(value));

    public GgufWriter Add(string key, int value) => Add(key, GgufValueType.Int32, w => w.Write(value));

    public GgufWriter Add(string key, float value) => Add(key, GgufValueType.Float32, w => w.Write(value));

    public GgufWriter Add(string key, bool value) => Add(key, GgufValueType.Bool, w => w.Write(value));

    public GgufWriter Add(string key, IReadOnlyList<string> values) => AddArray(key, GgufValueType.String, values.Count, (w, i) => WriteString(w, values[i]));

    public GgufWriter Add(string key, IReadOnlyList<float> values) => AddArray(key, GgufValueType.Float32, values.Count, (w, i) => w.Write(values[i]));

    public GgufWriter Add(string key, IReadOnlyList<int> values) => AddArray(key, GgufValueType.Int32, values.Count, (w, i) => w.Write(values[i]));

    /// <summary>
    /// Adds a tensor stored as <paramref name="type"/>; <paramref name="dimensions"/> are innermost first and their
    /// product must be the data length (for Q8_0 the innermost one a multiple of 32).
    /// </summary>
    public GgufWriter AddTensor(string name, long[] dimensions, float[] data, GgufTensorType type = GgufTensorType.F32)
    {
        var count = dimensions.Aggregate(1L, (product, d) => product * d);
        if (count != data.Length)
        {
            throw new ArgumentException($"tensor {name} has {data.Length} values but dimensions [{string.Join(", ", dimensions)}] need {count}", nameof(data));
        }
        if (type == GgufTensorType.Q8_0 && dimensions[0] % Q8Block != 0)
        {
            throw new ArgumentException($"tensor {name} is Q8_0 but its rows of {dimensions[0]} values are not whole blocks of {Q8Block}", nameof(dimensions));
        }
        _tensors.Add((name, dimensions, data, type));
        return this;
    }

    public void WriteTo(Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the GGUF writer assumes a little-endian machine");
        }
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((ulong)_tensors.Count);
        writer.Write((ulong)_metadata.Count);
        foreach (var (key, type, write) in _metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)type);
            write(writer);
        }

        var offset = 0L;
        foreach (var (name, dimensions, data, type) in _tensors)
        {
            WriteString(writer, name);
            writer.Write((uint)dimensions.Length);
            foreach (var dimension in dimensions)
            {
                writer.Write((ulong)dimension);
            }
            writer.Write((uint)type);
            writer.Write((ulong)offset);
            offset = Align(offset + StoredBytes(data.Length, type));
        }
        Pad(writer);

        var start = writer.BaseStream.Position;
        foreach (var (_, _, data, type) in _tensors)
        {
            if (type == GgufTensorType.Q8_0)
            {
                WriteQ8(writer, data);
            }
            else
            {
                writer.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            }
            Pad(writer, start);
        }
    }

    public void WriteTo(string path)
    {
        using var file = File.Create(path);
        WriteTo(file);
    }

    private GgufWriter Add(string key, GgufValueType type, Action<BinaryWriter> write)
    {
        _metadata.Add((key, type, write));
        return this;
    }

    private GgufWriter AddArray(string key, GgufValueType elementType, int count, Action<BinaryWriter, int> writeElement) =>
        Add(key, GgufValueType.Array, w =>
        {
            w.Write((uint)elementType);
            w.Write((ulong)count);
            for (var i = 0; i < count; i++)
            {
                writeElement(w, i);
            }
        });

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static long StoredBytes(long count, GgufTensorType type) =>
        type == GgufTensorType.Q8_0 ? count / Q8Block * (sizeof(short) + Q8Block) : count * sizeof(float);

    /// <summary>Q8_0 as ggml quantizes it: per block, the scale d = max |x| / 127 as a half, then round(x / d).</summary>
    private static void WriteQ8(BinaryWriter writer, float[] data)
    {
        Span<byte> block = stackalloc byte[sizeof(short) + Q8Block];
        for (var start = 0; start < data.Length; start += Q8Block)
        {
            var values = data.AsSpan(start, Q8Block);
            var max = 0f;
            foreach (var value in values)
            {
                max = Math.Max(max, Math.Abs(value));
            }
            var scale = max / 127;
            var inverse = scale == 0 ? 0 : 1 / scale;
            BinaryPrimitives.WriteHalfLittleEndian(block, (Half)scale);
            for (var i = 0; i < Q8Block; i++)
            {
                block[sizeof(short) + i] = (byte)(sbyte)MathF.Round(values[i] * inverse, MidpointRounding.AwayFromZero);
            }
            writer.Write(block);
        }
    }

    private static long Align(long value) => (value + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter writer, long origin = 0)
    {
        var position = writer.BaseStream.Position - origin;
        for (var i = position; i < Align(position); i++)
        {
            writer.Write((byte)0);
        }
    }
}
