using System.Diagnostics;
using System.Globalization;
using LlmRouter.LocalModels.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter.LocalModels.Bench;

/// <summary>
/// Speed of the engine on one random-weight model: one request's prompt evaluation and generation, then the
/// aggregate generation speed with 1, 2, 4 and 8 requests in flight on one context (continuous batching), as medians
/// of several runs and as a ratio to one request alone measured in the same run. Besides wall-clock tokens/s it
/// reports tokens per second of the process's processor time, which other programs on a busy machine disturb less.
/// </summary>
internal static class EngineBench
{
    private static readonly int[] DefaultInFlight = [1, 2, 4, 8];

    public static void Run(string modelPath, string step, BenchSettings settings)
    {
        var inFlight = settings.InFlight ?? DefaultInFlight;
        LlamaBackend.EnsureLoaded("cpu", libraryDirectory: null, NullLoggerFactory.Instance);
        using var model = LlamaModel.Load(modelPath);
        Console.WriteLine($"      llama.cpp: {LlamaBackend.SystemInfo().Trim()}");
        var prompt = Prompt(model, settings.PromptTokens, 0);
        var contextSize = inFlight.Max() * (settings.PromptTokens + settings.GenerationTokens + 16);
        Console.WriteLine($"{step} {Path.GetFileName(modelPath)} on LLamaSharp, {settings.Threads} thread(s): {prompt.Length}-token prompt, {settings.GenerationTokens} generated tokens per request, {settings.Repeats} runs each");

        // The engine's own attention setting first, then (with --compare-flash-attention) the other one, run for run.
        var ownChoice = model.FlashAttention;
        bool[] variants = settings.CompareFlashAttention ? [ownChoice, !ownChoice] : [ownChoice];
        string Label(bool flash) => (flash ? "flash attention" : "unfused attention") + (flash == ownChoice ? " (the engine's choice)" : "");

        var promptRates = variants.ToDictionary(v => v, _ => new List<double>());
        var generationRates = variants.ToDictionary(v => v, _ => new List<double>());
        for (var run = 1; run <= settings.Repeats; run++)
        {
            foreach (var flash in variants)
            {
                using var scheduler = LlamaScheduler.Create(model, contextSize, settings.Threads, sequences: 1, flashAttention: flash);
                var (promptSeconds, generationSeconds) = Single(scheduler, prompt, settings.GenerationTokens);
                promptRates[flash].Add(prompt.Length / promptSeconds);
                generationRates[flash].Add(settings.GenerationTokens / generationSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"      run {run}, {Label(flash)}: prompt {promptRates[flash][^1],9:N0} tokens/s, generation {generationRates[flash][^1],7:N0} tokens/s"));
            }
        }
        foreach (var flash in variants)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"      median, {Label(flash)}: prompt {Median(promptRates[flash]):N0} tokens/s, generation {Median(generationRates[flash]):N0} tokens/s"));
        }

        Console.WriteLine($"      in flight together ({settings.GenerationTokens} tokens each, 16-token prompts; aggregate generated tokens/s from first add to last end, per second of processor time, and the wall-clock time of a decode step once all generate):");
        var baselines = new Dictionary<bool, (double Wall, double Cpu)>();
        foreach (var count in inFlight)
        {
            var figures = variants.ToDictionary(v => v, _ => (Rates: new List<double>(), CpuRates: new List<double>(), Steps: new List<double>(), Allocated: new List<double>()));
            for (var run = 1; run <= settings.Repeats; run++)
            {
                foreach (var flash in variants)
                {
                    using var scheduler = LlamaScheduler.Create(model, contextSize, settings.Threads, sequences: count, flashAttention: flash);
                    var prompts = Enumerable.Range(0, count).Select(i => Prompt(model, 16, i)).ToArray();
                    var (seconds, cpuSeconds) = Together(scheduler, prompts, settings.GenerationTokens, figures[flash].Steps, figures[flash].Allocated);
                    figures[flash].Rates.Add(count * settings.GenerationTokens / seconds);
                    figures[flash].CpuRates.Add(count * settings.GenerationTokens / cpuSeconds);
                }
            }
            foreach (var flash in variants)
            {
                var (rates, cpuRates, steps, allocated) = figures[flash];
                var (median, cpuMedian) = (Median(rates), Median(cpuRates));
                if (count == 1)
                {
                    baselines[flash] = (median, cpuMedian);
                }
                var (baseline, cpuBaseline) = baselines[flash];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"      {count} in flight, {Label(flash)}: median {median,7:N0} tokens/s ({median / baseline:F2}x one alone; runs {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}), " +
                    $"{cpuMedian:N0} per processor second ({cpuMedian / cpuBaseline:F2}x); a step: median {Median(steps):F0} µs, fastest tenth {Percentile(steps, 0.1):F0} µs, {Median(allocated):F0} managed bytes allocated"));
            }
        }
    }

    internal static GenerationOptions Greedy(int tokens) => new()
    {
        MaxTokens = tokens,
        Sampling = new SamplingOptions
        {
            Temperature = 0,
            LogitBias = new Dictionary<int, float> { [Gguf.TinyLlamaGguf.EndToken] = float.NegativeInfinity },
        },
    };

    /// <summary>Seconds until the first token (the prompt's evaluation) and for the rest of the generation.</summary>
    private static (double Prompt, double Generation) Single(LlamaScheduler scheduler, int[] prompt, int tokens)
    {
        var clock = Stopwatch.StartNew();
        GenerationOutcome? outcome = null;
        scheduler.Add(prompt, Greedy(tokens + 1), _ => { }, o => outcome = o, CancellationToken.None);
        scheduler.Step();
        var promptSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        while (!scheduler.IsIdle)
        {
            scheduler.Step();
        }
        Check(outcome, tokens + 1);
        return (promptSeconds, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Wall-clock and processor seconds from the first add to the last end; adds the microseconds and the managed bytes
    /// allocated of each step once every request is in the batch to <paramref name="steps"/> and <paramref name="allocated"/>.
    /// </summary>
    private static (double Seconds, double CpuSeconds) Together(LlamaScheduler scheduler, int[][] prompts, int tokens, List<double> steps, List<double> allocated)
    {
        var outcomes = new List<GenerationOutcome>();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        foreach (var prompt in prompts)
        {
            scheduler.Add(prompt, Greedy(tokens), _ => { }, outcomes.Add, CancellationToken.None);
        }
        var step = new Stopwatch();
        while (!scheduler.IsIdle)
        {
            var full = scheduler.Active == prompts.Length && scheduler.Waiting == 0;
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            step.Restart();
            scheduler.Step();
            if (full)
            {
                steps.Add(step.Elapsed.TotalMicroseconds);
                allocated.Add(GC.GetAllocatedBytesForCurrentThread() - bytes);
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        foreach (var outcome in outcomes)
        {
            Check(outcome, tokens);
        }
        return (seconds, cpuSeconds);
    }

    private static void Check(GenerationOutcome? outcome, int tokens)
    {
        if (outcome is not { Status: GenerationStatus.Completed } || outcome.CompletionTokens != tokens)
        {
            throw new InvalidOperationException($"a generation ended unexpectedly: {outcome}");
        }
    }

    /// <summary>A prompt of about <paramref name="tokens"/> tokens, made of the vocabulary's words and bytes, starting at word <paramref name="offset"/>.</summary>
    internal static int[] Prompt(LlamaModel model, int tokens, int offset)
    {
        var words = new[] { "hello", "world", "the", "a", "你好", "tea", "lion", "42" };
        var text = new System.Text.StringBuilder();
        var i = offset;
        while (model.Tokenize(text.ToString(), addSpecial: true, parseSpecial: false).Length < tokens)
        {
            text.Append(words[i++ % words.Length]).Append(' ');
        }
        return model.Tokenize(text.ToString(), addSpecial: true, parseSpecial: false);
    }

    internal static double Percentile(List<double> values, double fraction) => values.Order().ElementAt((int)(fraction * (values.Count - 1)));

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
