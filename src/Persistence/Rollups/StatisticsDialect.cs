using System.Data.Common;

namespace LlmRouter.Persistence.Rollups;

/// <summary>What differs between the stores' statistics SQL; everything else is <see cref="RollupStatistics"/>.</summary>
public sealed record StatisticsDialect
{
    /// <summary>Opens a connection for one read; the caller disposes it.</summary>
    public required Func<CancellationToken, ValueTask<DbConnection>> OpenAsync { get; init; }

    /// <summary>What names a parameter in SQL text: <c>$</c> in SQLite, <c>@</c> in PostgreSQL.</summary>
    public required string ParameterPrefix { get; init; }

    /// <summary>The sum of an integer column as a 64-bit integer.</summary>
    public required Func<string, string> Sum { get; init; }

    /// <summary>The UTC start of the month holding a time in Unix milliseconds, in Unix milliseconds.</summary>
    public required Func<string, string> MonthStart { get; init; }

    /// <summary>A text column as an ORDER BY term: bytewise, NULLs first (SQLite's own order, so both stores answer alike).</summary>
    public required Func<string, string> OrderKey { get; init; }
}
