using System.Globalization;
using LlmRouter.LocalModels.Gguf;

// Writes the tiny random-weight llama GGUF the tests use, or a larger one shaped like a small real model (benchmarks);
// with --pooling it is an embedding model (the pooling type in its metadata):
//   dotnet run --project tools/GgufFixture -- OUT.gguf [SEED] [--shape tiny|medium|medium-f32] [--pooling mean|cls|last]
const string Usage = "usage: GgufFixture OUT.gguf [SEED] [--shape tiny|medium|medium-f32] [--pooling mean|cls|last]";
string? Option(ref string[] args, string name)
{
    var at = Array.IndexOf(args, name);
    if (at < 0)
    {
        return null;
    }
    var value = at + 1 < args.Length ? args[at + 1] : "";
    args = [.. args[..at], .. args[Math.Min(at + 2, args.Length)..]];
    return value;
}
var shapeName = Option(ref args, "--shape");
var pooling = Option(ref args, "--pooling");
var shape = shapeName is null ? LlamaShape.Tiny : LlamaShape.Named(shapeName);
if (shape is null || (pooling is not null && !TinyLlamaGguf.PoolingTypes.ContainsKey(pooling)) || args.Length is < 1 or > 2 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine(Usage);
    return 2;
}
var seed = 42;
if (args.Length == 2 && !int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
{
    Console.Error.WriteLine($"SEED must be an integer, not '{args[1]}'");
    return 2;
}
TinyLlamaGguf.Write(args[0], seed, shape, pooling);
Console.WriteLine($"{args[0]}: random llama GGUF ({shape.EmbeddingLength}-dim, {shape.BlockCount} layers, {shape.WeightType} weights, " +
    $"{TinyLlamaGguf.Tokens.Count} tokens, seed {seed}{(pooling is null ? "" : $", an embedding model pooling by {pooling}")}), {new FileInfo(args[0]).Length} bytes");
return 0;
