namespace LlmRouter.Grains.Limits;

/// <summary>
/// What a limit grain owns and persists: the theoretical arrival time of each of its windows, its budget periods and
/// the reservations its calls in flight hold. Money in whole nano-dollars, times in µs since the epoch.
/// </summary>
[GenerateSerializer, Alias("limit-state")]
public sealed class LimitState
{
    [Id(0)] public Dictionary<string, long> Tats { get; set; } = [];
    [Id(1)] public Dictionary<string, BudgetRow> Budgets { get; set; } = [];
    [Id(2)] public Dictionary<string, HeldReservation> Held { get; set; } = [];

    /// <summary>A deep copy, so a write in progress never sees the grain's next changes.</summary>
    public LimitState Copy() => new()
    {
        Tats = new Dictionary<string, long>(Tats),
        Budgets = Budgets.ToDictionary(b => b.Key, b => new BudgetRow { EndMicros = b.Value.EndMicros, SpentNanoUsd = b.Value.SpentNanoUsd, ReservedNanoUsd = b.Value.ReservedNanoUsd }),
        Held = Held.ToDictionary(h => h.Key, h => new HeldReservation
        {
            CreatedMicros = h.Value.CreatedMicros,
            TokenWindowIntervals = new Dictionary<string, long>(h.Value.TokenWindowIntervals),
            Tokens = h.Value.Tokens,
            BudgetRow = h.Value.BudgetRow,
            ReservedNanoUsd = h.Value.ReservedNanoUsd,
        }),
    };
}

/// <summary>A budget in one period (keyed by period name and start): settled spending and money held by calls in flight.</summary>
[GenerateSerializer, Alias("budget-row")]
public sealed class BudgetRow
{
    [Id(0)] public long EndMicros { get; set; }
    [Id(1)] public long SpentNanoUsd { get; set; }
    [Id(2)] public long ReservedNanoUsd { get; set; }
}

/// <summary>What one admitted call holds until it is settled: tokens on the token windows (with their intervals) and money on a budget row.</summary>
[GenerateSerializer, Alias("held-reservation")]
public sealed class HeldReservation
{
    [Id(0)] public long CreatedMicros { get; set; }
    [Id(1)] public Dictionary<string, long> TokenWindowIntervals { get; set; } = [];
    [Id(2)] public long Tokens { get; set; }
    [Id(3)] public string? BudgetRow { get; set; }
    [Id(4)] public long ReservedNanoUsd { get; set; }
}
