using System.Globalization;

namespace LlmRouter.LocalModels.Bench;

/// <summary>The benchmark's knobs, from the command line.</summary>
/// <param name="FixtureOnly">Only the fixture's engine figures (a quick look): no medium models, cancels or front-end.</param>
/// <param name="MediumOnly">Only the medium models' engine figures: no fixture, cancels or front-end.</param>
/// <param name="CompareFlashAttention">Measures every engine figure also with the other attention setting, run for run.</param>
/// <param name="InFlight">The numbers of requests in flight together to measure (1 is the baseline and always measured).</param>
internal sealed record BenchSettings(int Threads, int Requests, int PromptTokens, int GenerationTokens, int Repeats, bool FixtureOnly = false, bool MediumOnly = false, bool CompareFlashAttention = false, int[]? InFlight = null)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(Threads: 1, Requests: 100, PromptTokens: 512, GenerationTokens: 256, Repeats: 5);
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new ArgumentException($"{args[i]} needs a positive integer");
            settings = args[i] switch
            {
                "--threads" => settings with { Threads = Next() },
                "--requests" => settings with { Requests = Next() },
                "--prompt-tokens" => settings with { PromptTokens = Next() },
                "--gen-tokens" => settings with { GenerationTokens = Next() },
                "--repeats" => settings with { Repeats = Next() },
                "--fixture-only" => settings with { FixtureOnly = true },
                "--medium-only" => settings with { MediumOnly = true },
                "--compare-flash-attention" => settings with { CompareFlashAttention = true },
                "--in-flight" => settings with { InFlight = [.. ParseCounts(i + 1 < args.Length ? args[++i] : "")] },
                var unknown => throw new ArgumentException($"unknown option {unknown}"),
            };
        }
        return settings;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Threads} thread(s), {Requests} requests, {PromptTokens}-token prompts, {GenerationTokens} generated tokens, {Repeats} runs, in flight {string.Join(",", InFlight ?? [1, 2, 4, 8])}" +
        $"{(FixtureOnly ? ", fixture only" : "")}{(MediumOnly ? ", medium models only" : "")}{(CompareFlashAttention ? ", both attention settings" : "")}");

    private static IEnumerable<int> ParseCounts(string list) =>
        list.Split(',').Select(c => int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException("--in-flight needs positive integers separated by commas, e.g. 1,4")).Prepend(1).Distinct().Order();
}
