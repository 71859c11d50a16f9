namespace LlmRouter.Abstractions.Limits;

/// <summary>Money in limit state is whole nano-dollars, so sums and comparisons stay exact in every store.</summary>
public static class NanoUsd
{
    private const decimal PerUsd = 1_000_000_000m;

    public static long From(decimal usd) => (long)decimal.Round(usd * PerUsd, MidpointRounding.AwayFromZero);

    public static decimal ToUsd(long nano) => nano / PerUsd;
}
