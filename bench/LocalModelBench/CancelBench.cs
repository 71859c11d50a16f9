using System.Diagnostics;
using System.Globalization;
using LlmRouter.LocalModels.Engine;

namespace LlmRouter.LocalModels.Bench;

/// <summary>
/// How soon a cancelled long prompt lets go of the model: a 4,000-token prompt evaluated in pieces of 512 tokens is
/// cancelled from a timer halfway through its second piece; the time from the cancel to the end of the request is
/// compared with the time a whole piece takes (what a cancel between steps only would cost at worst).
/// </summary>
internal static class CancelBench
{
    private const int Piece = 512;

    public static void Run(string modelPath, string step, BenchSettings settings)
    {
        using var model = LlamaModel.Load(modelPath);
        var prompt = model.Tokenize(string.Join(' ', Enumerable.Repeat("hello world", 1990)), addSpecial: true, parseSpecial: false);
        Console.WriteLine($"{step} {Path.GetFileName(modelPath)}: a {prompt.Length}-token prompt in pieces of {Piece}, cancelled halfway through its second piece, {settings.Repeats} runs");
        var pieces = new List<double>();
        var stops = new List<double>();
        var midPiece = 0;
        for (var run = 1; run <= settings.Repeats; run++)
        {
            using var scheduler = LlamaScheduler.Create(model, 4096, settings.Threads, sequences: 1, batchSize: Piece);
            using var cancel = new CancellationTokenSource();
            GenerationOutcome? outcome = null;
            scheduler.Add(prompt, EngineBench.Greedy(4), _ => { }, o => outcome = o, cancel.Token);
            var clock = Stopwatch.StartNew();
            scheduler.Step();
            pieces.Add(clock.Elapsed.TotalMilliseconds);

            var cancelledAt = 0L;
            using var timer = new Timer(_ =>
            {
                Volatile.Write(ref cancelledAt, Stopwatch.GetTimestamp());
                cancel.Cancel();
            }, null, TimeSpan.FromMilliseconds(pieces[^1] / 2), Timeout.InfiniteTimeSpan);
            var steps = 0;
            while (outcome is null)
            {
                scheduler.Step();
                steps++;
            }
            stops.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref cancelledAt)).TotalMilliseconds);
            // Ended by the step that was evaluating the piece when the cancel came, not by the next one.
            midPiece += steps == 1 && outcome.Status == GenerationStatus.Cancelled ? 1 : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"      run {run}: a piece {pieces[^1],6:F1} ms, from the cancel to the request's end {stops[^1],6:F1} ms ({outcome.Status}, {steps} step(s) after the first)"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"      median: a piece {EngineBench.Median(pieces):F1} ms, cancel to end {EngineBench.Median(stops):F1} ms; ended within the piece being evaluated in {midPiece} of {settings.Repeats} runs"));
    }
}
