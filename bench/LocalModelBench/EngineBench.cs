using System.Diagnostics;
using System.Globalization;
using LlmRouter.LocalModels.Engine;
using LlmRouter.LocalModels.Native;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter.LocalModels.Bench;

/// <summary>Prompt evaluation and token generation speed of a model, on one llama.cpp context.</summary>
internal static class EngineBench
{
    public static void Run(string modelPath, BenchSettings settings)
    {
        LlamaLibrary.EnsureLoaded(LlamaLibrary.DefaultDirectory("linux-x64"), NullLoggerFactory.Instance);
        using var model = LlamaModel.Load(modelPath);
        using var context = LlamaContext.Create(model, settings.PromptTokens + settings.GenerationTokens + 16, settings.Threads);
        var prompt = Prompt(model, settings.PromptTokens);
        Console.WriteLine($"[2/3] llama.cpp on {settings.Threads} thread(s): {prompt.Length}-token prompt, {settings.GenerationTokens} generated tokens, {settings.Repeats} runs each");

        var promptRates = new List<double>();
        var generationRates = new List<double>();
        using var sampler = LlamaSampler.Create(model, new SamplingOptions
        {
            Temperature = 0,
            LogitBias = new Dictionary<int, float> { [Gguf.TinyLlamaGguf.EndToken] = float.NegativeInfinity },
        });
        for (var run = 1; run <= settings.Repeats; run++)
        {
            context.Clear();
            var clock = Stopwatch.StartNew();
            Check(context.Ingest(prompt, out _));
            promptRates.Add(prompt.Length / clock.Elapsed.TotalSeconds);

            clock.Restart();
            for (var i = 0; i < settings.GenerationTokens; i++)
            {
                Check(context.Append(context.Sample(sampler)));
            }
            generationRates.Add(settings.GenerationTokens / clock.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"      run {run}: prompt {promptRates[^1],9:N0} tokens/s, generation {generationRates[^1],7:N0} tokens/s"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"      median: prompt {Median(promptRates):N0} tokens/s, generation {Median(generationRates):N0} tokens/s"));
    }

    /// <summary>A prompt of about <paramref name="tokens"/> tokens, made of the vocabulary's words and bytes.</summary>
    private static int[] Prompt(LlamaModel model, int tokens)
    {
        var words = new[] { "hello", "world", "the", "a", "你好", "tea", "lion", "42" };
        var text = new System.Text.StringBuilder();
        var i = 0;
        while (model.Tokenize(text.ToString(), addSpecial: true, parseSpecial: false).Length < tokens)
        {
            text.Append(words[i++ % words.Length]).Append(' ');
        }
        return model.Tokenize(text.ToString(), addSpecial: true, parseSpecial: false);
    }

    private static void Check(DecodeStatus status)
    {
        if (status != DecodeStatus.Ok)
        {
            throw new InvalidOperationException($"llama_decode ended with {status}");
        }
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
