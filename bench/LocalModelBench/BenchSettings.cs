using System.Globalization;

namespace LlmRouter.LocalModels.Bench;

/// <summary>The benchmark's knobs, from the command line.</summary>
/// <param name="FixtureOnly">Only the fixture's engine figures (a quick look): no medium models, cancels or front-end.</param>
internal sealed record BenchSettings(int Threads, int Requests, int PromptTokens, int GenerationTokens, int Repeats, bool FixtureOnly = false)
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
                var unknown => throw new ArgumentException($"unknown option {unknown}"),
            };
        }
        return settings;
    }
}
