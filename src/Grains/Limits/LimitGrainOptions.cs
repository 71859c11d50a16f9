namespace LlmRouter.Grains.Limits;

/// <summary>How limit grains keep their state: the storage provider's name and how often changed state is written behind.</summary>
public sealed record LimitGrainOptions
{
    /// <summary>The grain storage provider limit grains persist through (SQLite store embedded, AdoNet on PostgreSQL).</summary>
    public const string StorageName = "limits";

    /// <summary>At most this old is the persisted state of a live grain: what a silo killed mid-interval can lose.</summary>
    public TimeSpan PersistInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A reservation older than this belongs to a call that is not coming back (its node was killed): no call is expected
    /// to legitimately run for an hour. Its money stays spent, as a call of unknown usage.
    /// </summary>
    public TimeSpan MaxCallAge { get; init; } = TimeSpan.FromHours(1);
}
