namespace LlmRouter.Persistence.Rollups;

/// <summary>
/// One part of a range read for statistics: from the log itself (<see cref="Level"/> null) or from the roll-ups of one
/// level; <see cref="From"/> inclusive, <see cref="To"/> exclusive, either open when null.
/// </summary>
public readonly record struct UsagePiece(int? Level, long? From, long? To)
{
    /// <summary>
    /// The split of [<paramref name="start"/>, <paramref name="end"/>) that reads the fewest roll-up buckets: down the
    /// month ladder or the week ladder (an open range always by months).
    /// </summary>
    public static IReadOnlyList<UsagePiece> Cheapest(long? start, long? end)
    {
        var byMonth = Split(start, end, InvocationRollups.MonthLadder);
        if (start is null || end is null)
        {
            return byMonth;
        }
        var byWeek = Split(start, end, InvocationRollups.WeekLadder);
        return Buckets(byWeek) < Buckets(byMonth) ? byWeek : byMonth;
    }

    /// <summary>
    /// Splits [<paramref name="start"/>, <paramref name="end"/>) into the fewest pieces down a <paramref name="ladder"/>
    /// of nesting levels: the parts of a minute at each edge from the log, then whole buckets of each level, the
    /// coarsest in the middle. At most two pieces a level, so a query reads a bounded number of log rows and, per
    /// group, of roll-up rows.
    /// </summary>
    public static IReadOnlyList<UsagePiece> Split(long? start, long? end, IReadOnlyList<int> ladder)
    {
        var pieces = new List<UsagePiece>();
        var a = start is { } s ? InvocationRollups.Ceiling(s, ladder[0]) : (long?)null;
        var b = end is { } e ? InvocationRollups.Floor(e, ladder[0]) : (long?)null;
        if (a is { } alignedStart && b is { } alignedEnd && alignedStart >= alignedEnd)
        {
            // Within one minute, or across one minute boundary with no whole minute between: all from the log.
            pieces.Add(new UsagePiece(null, start, end));
            return pieces;
        }
        if (start is { } from && a > from)
        {
            pieces.Add(new UsagePiece(null, from, a));
        }
        if (end is { } to && b < to)
        {
            pieces.Add(new UsagePiece(null, b, to));
        }
        var step = 0;
        for (; step < ladder.Count - 1; step++)
        {
            var up = a is { } x ? InvocationRollups.Ceiling(x, ladder[step + 1]) : (long?)null;
            var down = b is { } y ? InvocationRollups.Floor(y, ladder[step + 1]) : (long?)null;
            if (up is { } u && down is { } d && u >= d)
            {
                // No whole coarser bucket inside: the rest stays at this level.
                break;
            }
            if (a < up)
            {
                pieces.Add(new UsagePiece(ladder[step], a, up));
            }
            if (down < b)
            {
                pieces.Add(new UsagePiece(ladder[step], down, b));
            }
            (a, b) = (up, down);
        }
        if (a is null || b is null || a < b)
        {
            pieces.Add(new UsagePiece(ladder[step], a, b));
        }
        return pieces;
    }

    private static long Buckets(IReadOnlyList<UsagePiece> pieces) =>
        pieces.Where(p => p.Level is not null).Sum(p => InvocationRollups.Count(p.From!.Value, p.To!.Value, p.Level!.Value));
}
