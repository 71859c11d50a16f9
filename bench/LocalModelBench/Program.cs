using System.Diagnostics;
using System.Globalization;
using LlmRouter.LocalModels.Bench;

// Tokens per second of the tiny fixture model (prompt evaluation and generation on LLamaSharp, then the aggregate
// with 2, 4 and 8 requests batched together), then
// the latency of a small chat call served by a gpu silo directly versus through an api front-end (on the PostgreSQL
// named by LLM_ROUTER_BENCH_POSTGRES; skipped without it).
//   dotnet run -c Release --project bench/LocalModelBench -- [--threads N] [--requests N] [--prompt-tokens N] [--gen-tokens N]
var settings = BenchSettings.Parse(args);
var directory = Path.Combine(Path.GetTempPath(), "llmrouter-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
try
{
    var total = Stopwatch.StartNew();
    Console.WriteLine($"LocalModelBench: {settings}, {Environment.ProcessorCount} processor(s)");
    var model = Path.Combine(directory, "tiny.gguf");
    LlmRouter.LocalModels.Gguf.TinyLlamaGguf.Write(model);
    Console.WriteLine($"[1/3] wrote the fixture model ({new FileInfo(model).Length:N0} bytes)");

    EngineBench.Run(model, settings);
    await ForwardingBench.RunAsync(model, directory, settings);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done in {total.Elapsed.TotalSeconds:F1} s"));
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
}
