using System.Globalization;
using LlmRouter.LocalModels.Gguf;

// Writes the tiny random-weight llama GGUF the tests use: dotnet run --project tools/GgufFixture -- OUT.gguf [SEED]
if (args.Length is < 1 or > 2 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: GgufFixture OUT.gguf [SEED]");
    return 2;
}
var seed = 42;
if (args.Length == 2 && !int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
{
    Console.Error.WriteLine($"SEED must be an integer, not '{args[1]}'");
    return 2;
}
TinyLlamaGguf.Write(args[0], seed);
Console.WriteLine($"{args[0]}: tiny llama GGUF ({TinyLlamaGguf.EmbeddingLength}-dim, {TinyLlamaGguf.BlockCount} layers, " +
    $"{TinyLlamaGguf.Tokens.Count} tokens, seed {seed}), {new FileInfo(args[0]).Length} bytes");
return 0;
