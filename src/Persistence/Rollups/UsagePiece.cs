namespace LlmRouter.Persistence.Rollups;

/// <summary>
/// One part of a range read for statistics: from the log itself (<see cref="Level"/> null) or from the roll-ups of one
/// level; <see cref="From"/> inclusive, <see cref="To"/> exclusive, either open when null.
/// </summary>
public readonly record struct UsagePiece(int? Level, long? From, long? To)
{
    /// <summary>
    /// Splits [<paramref name="start"/>, <paramref name="end"/>) into the fewest pieces: the parts of a minute at each
    /// edge from the log, then whole minutes, hours, days and months (no level coarser than <paramref name="maxLevel"/>) from
    /// the roll-ups. At most nine pieces, so a query reads a bounded number of log rows, and roll-up rows per month.
    /// </summary>
    public static IReadOnlyList<UsagePiece> Split(long? start, long? end, int maxLevel)
    {
        var pieces = new List<UsagePiece>();
        var a = start is { } s ? InvocationRollups.Ceiling(s, InvocationRollups.Minute) : (long?)null;
        var b = end is { } e ? InvocationRollups.Floor(e, InvocationRollups.Minute) : (long?)null;
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
        var level = 0;
        for (; level < maxLevel; level++)
        {
            var up = a is { } x ? InvocationRollups.Ceiling(x, level + 1) : (long?)null;
            var down = b is { } y ? InvocationRollups.Floor(y, level + 1) : (long?)null;
            if (up is { } u && down is { } d && u >= d)
            {
                // No whole coarser bucket inside: the rest stays at this level.
                break;
            }
            if (a < up)
            {
                pieces.Add(new UsagePiece(level, a, up));
            }
            if (down < b)
            {
                pieces.Add(new UsagePiece(level, down, b));
            }
            (a, b) = (up, down);
        }
        if (a is null || b is null || a < b)
        {
            pieces.Add(new UsagePiece(level, a, b));
        }
        return pieces;
    }
}
