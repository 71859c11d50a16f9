using System.Globalization;
using LlmRouter.LocalModels.Gguf;

// Writes the tiny random-weight llama GGUF the tests use, or a larger one shaped like a small real model (benchmarks):
//   dotnet run --project tools/GgufFixture -- OUT.gguf [SEED] [--shape tiny|medium|medium-f32]
const string Usage = "usage: GgufFixture OUT.gguf [SEED] [--shape tiny|medium|medium-f32]";
var shapeAt = Array.IndexOf(args, "--shape");
var shape = LlamaShape.Tiny;
if (shapeAt >= 0)
{
    if (shapeAt + 1 >= args.Length || LlamaShape.Named(args[shapeAt + 1]) is not { } named)
    {
        Console.Error.WriteLine(Usage);
        return 2;
    }
    shape = named;
    args = [.. args[..shapeAt], .. args[(shapeAt + 2)..]];
}
if (args.Length is < 1 or > 2 || args[0].StartsWith('-'))
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
TinyLlamaGguf.Write(args[0], seed, shape);
Console.WriteLine($"{args[0]}: random llama GGUF ({shape.EmbeddingLength}-dim, {shape.BlockCount} layers, {shape.WeightType} weights, " +
    $"{TinyLlamaGguf.Tokens.Count} tokens, seed {seed}), {new FileInfo(args[0]).Length} bytes");
return 0;
