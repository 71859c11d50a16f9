using System.Diagnostics;
using System.Globalization;
using LlmRouter.LocalModels.Bench;
using LlmRouter.LocalModels.Gguf;

// Tokens per second of the tiny fixture model and of medium ones shaped like a small real model (95 MB in Q8_0,
// 360 MB in 32-bit floats), all written here (prompt evaluation and generation on LLamaSharp, then the aggregate with
// 2, 4 and 8 requests batched together); then how soon a long prompt cancelled mid-piece lets go; then the latency of
// a small chat call served by a gpu silo directly versus through an api front-end (on the PostgreSQL named by
// LLM_ROUTER_BENCH_POSTGRES; skipped without it).
//   dotnet run -c Release --project bench/LocalModelBench -- [--threads N] [--requests N] [--prompt-tokens N] [--gen-tokens N] [--repeats N]
//     [--fixture-only | --medium-only] [--in-flight 1,2,4,8] [--compare-flash-attention]
// --fixture-only and --medium-only measure only the engine on those models; --in-flight picks the numbers of requests
// measured together (1, the baseline, always); --compare-flash-attention measures the attention setting the engine does
// not choose too, alternating with its own run for run, so both see the same machine (llama.cpp's fused flash-attention
// kernel or the unfused matrix products; the engine uses the unfused ones on the processor).
var settings = BenchSettings.Parse(args);
var directory = Path.Combine(Path.GetTempPath(), "llmrouter-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
try
{
    var total = Stopwatch.StartNew();
    Console.WriteLine($"LocalModelBench: {settings}, {Environment.ProcessorCount} processor(s)");
    var model = Path.Combine(directory, "tiny.gguf");
    TinyLlamaGguf.Write(model);
    Console.WriteLine($"[1/5] wrote the fixture model ({new FileInfo(model).Length:N0} bytes)");
    if (!settings.MediumOnly)
    {
        EngineBench.Run(model, "[1/5]", settings);
    }
    if (settings.FixtureOnly)
    {
        return;
    }

    // A medium model's step costs about a hundred of the fixture's: shorter prompts and generations keep it to minutes.
    var shorter = settings with { PromptTokens = Math.Max(16, settings.PromptTokens / 4), GenerationTokens = Math.Max(8, settings.GenerationTokens / 8) };
    foreach (var (step, name, shape) in new[] { ("[2/5]", "medium-q8_0.gguf", LlamaShape.Medium), ("[3/5]", "medium-f32.gguf", LlamaShape.MediumF32) })
    {
        var path = Path.Combine(directory, name);
        TinyLlamaGguf.Write(path, shape: shape);
        Console.WriteLine($"{step} wrote {name} ({new FileInfo(path).Length:N0} bytes: {shape.EmbeddingLength}-dim, {shape.BlockCount} layers, {shape.WeightType} weights)");
        EngineBench.Run(path, step, shorter);
    }
    if (settings.MediumOnly)
    {
        return;
    }
    CancelBench.Run(model, "[4/5]", settings);
    // A medium piece takes seconds: three runs show what a cancel between pieces only would waste.
    CancelBench.Run(Path.Combine(directory, "medium-q8_0.gguf"), "[4/5]", settings with { Repeats = Math.Min(3, settings.Repeats) });
    await FrontEndBench.RunAsync(model, directory, settings);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done in {total.Elapsed.TotalSeconds:F1} s"));
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
}
