namespace LlmRouter.Persistence;

/// <summary>Costs are stored as whole nano-dollars so sums stay exact in every store.</summary>
public static class CostUnits
{
    private const decimal NanoPerUsd = 1_000_000_000m;

    public static long ToNanoUsd(decimal usd) => (long)decimal.Round(usd * NanoPerUsd, MidpointRounding.AwayFromZero);

    public static decimal FromNanoUsd(long nano) => nano / NanoPerUsd;
}
