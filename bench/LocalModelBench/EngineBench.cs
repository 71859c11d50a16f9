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
    private static readonly int[] InFlight = [1, 2, 4, 8];

    public static void Run(string modelPath, string step, BenchSettings settings)
    {
        LlamaBackend.EnsureLoaded("cpu", libraryDirectory: null, NullLoggerFactory.Instance);
        using var model = LlamaModel.Load(modelPath);
        Console.WriteLine($"      llama.cpp: {LlamaBackend.SystemInfo().Trim()}");
        var prompt = Prompt(model, settings.PromptTokens, 0);
        var contextSize = InFlight.Max() * (settings.PromptTokens + settings.GenerationTokens + 16);
        Console.WriteLine($"{step} {Path.GetFileName(modelPath)} on LLamaSharp, {settings.Threads} thread(s): {prompt.Length}-token prompt, {settings.GenerationTokens} generated tokens per request, {settings.Repeats} runs each");

        var promptRates = new List<double>();
        var generationRates = new List<double>();
        for (var run = 1; run <= settings.Repeats; run++)
        {
            using var scheduler = LlamaScheduler.Create(model, contextSize, settings.Threads, sequences: 1);
            var (promptSeconds, generationSeconds) = Single(scheduler, prompt, settings.GenerationTokens);
            promptRates.Add(prompt.Length / promptSeconds);
            generationRates.Add(settings.GenerationTokens / generationSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"      run {run}: prompt {promptRates[^1],9:N0} tokens/s, generation {generationRates[^1],7:N0} tokens/s"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"      median: prompt {Median(promptRates):N0} tokens/s, generation {Median(generationRates):N0} tokens/s"));

        Console.WriteLine($"      in flight together ({settings.GenerationTokens} tokens each, 16-token prompts; aggregate generated tokens/s from first add to last end, and per second of processor time):");
        var (baseline, cpuBaseline) = (0.0, 0.0);
        foreach (var count in InFlight)
        {
            var rates = new List<double>();
            var cpuRates = new List<double>();
            for (var run = 1; run <= settings.Repeats; run++)
            {
                using var scheduler = LlamaScheduler.Create(model, contextSize, settings.Threads, sequences: count);
                var prompts = Enumerable.Range(0, count).Select(i => Prompt(model, 16, i)).ToArray();
                var (seconds, cpuSeconds) = Together(scheduler, prompts, settings.GenerationTokens);
                rates.Add(count * settings.GenerationTokens / seconds);
                cpuRates.Add(count * settings.GenerationTokens / cpuSeconds);
            }
            var (median, cpuMedian) = (Median(rates), Median(cpuRates));
            (baseline, cpuBaseline) = count == 1 ? (median, cpuMedian) : (baseline, cpuBaseline);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"      {count} in flight: median {median,7:N0} tokens/s ({median / baseline:F2}x one alone; runs {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}), " +
                $"{cpuMedian:N0} per processor second ({cpuMedian / cpuBaseline:F2}x)"));
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

    /// <summary>Wall-clock and processor seconds from the first add to the last end.</summary>
    private static (double Seconds, double CpuSeconds) Together(LlamaScheduler scheduler, int[][] prompts, int tokens)
    {
        var outcomes = new List<GenerationOutcome>();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        foreach (var prompt in prompts)
        {
            scheduler.Add(prompt, Greedy(tokens), _ => { }, outcomes.Add, CancellationToken.None);
        }
        while (!scheduler.IsIdle)
        {
            scheduler.Step();
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

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
