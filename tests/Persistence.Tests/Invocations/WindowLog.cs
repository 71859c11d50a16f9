using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Persistence.Tests.Invocations;

/// <summary>
/// A log of a few hundred calls in hours of their own (a dense hour, sparse ones, an empty one), written in batches whose
/// ids do not follow time, with the pages and totals any list query over them must give, worked out here from the rows.
/// </summary>
internal sealed class WindowLog
{
    private readonly DateTimeOffset _start;
    private readonly string _tag;
    private readonly InvocationRecord[] _rows;

    private WindowLog(DateTimeOffset start, string tag, InvocationRecord[] rows) => (_start, _tag, _rows) = (start, tag, rows);

    /// <summary>Writes the calls in five batches of shuffled times and reads their ids back.</summary>
    public static async Task<WindowLog> WriteAsync(IInvocationStore store)
    {
        // A week no other test writes in (the log spans 3 days, a bounded query window reaches less than 4 days past
        // its start), so every bounded window's rows are this log's.
        var start = new DateTimeOffset(2041, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(0, 100_000) * 7);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var random = new Random(7);
        // Minutes from the start: hour 0 sparse, hour 1 dense, hour 2 empty, hours 3-5 sparse, one call a day on.
        var minutes = Enumerable.Range(0, 12).Select(i => i * 5)
            .Concat(Enumerable.Range(0, 240).Select(i => 60 + i / 4))
            .Concat(Enumerable.Range(0, 30).Select(i => 180 + i * 6))
            .Concat(Enumerable.Range(1, 3).Select(i => i * 1440 + 17))
            .ToArray();
        var records = minutes.Select((minute, i) => new InvocationRecord
        {
            CreatedAt = start.AddMinutes(minute).AddSeconds(i % 60),
            ClientFormat = "openai",
            Provider = $"p{i % 3}-{tag}",
            Model = $"m{i % 4}",
            ApiKeyId = i % 5 == 0 ? null : $"k{i % 5}-{tag}",
            ApiKeyName = i % 5 == 0 ? null : $"team {i % 5}",
            Status = (i % 11) switch { 0 => InvocationStatus.Error, 1 => InvocationStatus.ClientClosed, 2 => InvocationStatus.Rejected, _ => InvocationStatus.Success },
            HttpStatus = 200,
            PromptTokens = i,
            LatencyMs = 100,
        }).OrderBy(_ => random.Next()).ToArray();
        foreach (var batch in records.Chunk(records.Length / 5 + 1))
        {
            await store.WriteBatchAsync(batch);
        }
        var written = new List<InvocationRecord>();
        for (var provider = 0; provider < 3; provider++)
        {
            written.AddRange((await store.ListAsync(new InvocationQuery { Provider = $"p{provider}-{tag}", Limit = 1000 })).Items);
        }
        Assert.Equal(records.Select(r => r.PromptTokens).Order(), written.Select(r => r.PromptTokens).Order());
        var log = new WindowLog(start, tag, written.OrderByDescending(r => r.Id).ToArray());
        Assert.NotEqual(log._rows.Select(r => r.Id), log._rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Select(r => r.Id));
        return log;
    }

    /// <summary>
    /// A windowed list query with some filters (a status always when <paramref name="byStatus"/>), paging and before_id,
    /// and every row it matches (paging aside), newest id first.
    /// </summary>
    public (InvocationQuery Query, InvocationRecord[] Matches) RandomQuery(Random random, bool byStatus = false)
    {
        var from = random.Next(-30, 400);
        DateTimeOffset? end = random.Next(6) == 0 ? null : _start.AddMinutes(from + random.Next(1, random.Next(2) == 0 ? 90 : 5000));
        var query = new InvocationQuery
        {
            Start = random.Next(8) == 0 ? null : _start.AddMinutes(from).AddSeconds(random.Next(60)),
            End = end,
            Limit = random.Next(1, 8),
            Offset = random.Next(4) == 0 ? random.Next(1, 4) : 0,
            Provider = random.Next(4) == 0 ? $"p{random.Next(3)}-{_tag}" : null,
            Model = random.Next(4) switch { 0 => $"m{random.Next(4)}", 1 => $"p{random.Next(3)}-{_tag}/m{random.Next(4)}", _ => null },
            ApiKey = random.Next(4) switch { 0 => $"k{random.Next(1, 5)}-{_tag}", 1 => $"team {random.Next(1, 5)}", _ => null },
            Status = byStatus || random.Next(4) == 0 ? (InvocationStatus)random.Next(4) : null,
        };
        if ((query.Start is null || query.End is null) && query.Provider is null)
        {
            // Other tests' calls (other logs of this kind included) may be older or newer: a window open to the past or
            // to the future keeps to this log's providers.
            query = query with { Provider = $"p0-{_tag}" };
        }
        var matches = Matching(query);
        if (random.Next(3) == 0 && matches.Length > 0)
        {
            query = query with { BeforeId = matches[random.Next(matches.Length)].Id + random.Next(2) };
        }
        return (query, Matching(query));
    }

    /// <summary>How many rows the query matches, paging and before_id aside (as the list's total counts them).</summary>
    public long Total(InvocationQuery query) => Matching(query with { BeforeId = null }).Length;

    private InvocationRecord[] Matching(InvocationQuery q) => _rows.Where(r =>
            (q.Start is not { } s || r.CreatedAt >= s) && (q.End is not { } e || r.CreatedAt < e)
            && (q.Provider is null || r.Provider == q.Provider)
            && (q.Model is null || r.Model == q.Model || $"{r.Provider}/{r.Model}" == q.Model)
            && (q.ApiKey is null || r.ApiKeyId == q.ApiKey || r.ApiKeyName == q.ApiKey)
            && (q.Status is null || r.Status == q.Status)
            && (q.BeforeId is not { } before || r.Id < before))
        .ToArray();
}
