using System.Diagnostics;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence;

namespace MonitoringBench;

/// <summary>
/// Fills a log through the store's own write path (the batches the group commit writes, 512 records each) with calls
/// spread evenly over the year before <see cref="End"/>: 50 API keys and keyless calls, 12 models on 4 providers,
/// about 3% errors and 1% client hang-ups, streams with a first token, a short request body each.
/// </summary>
internal static class LogFill
{
    public const int BatchSize = 512;

    public static readonly DateTimeOffset End = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Start = End.AddDays(-365);

    /// <summary>Writes calls <paramref name="from"/> on (those before are logged: a whole number of batches) up to <paramref name="calls"/>.</summary>
    public static async Task FillAsync(IInvocationStore store, long from, long calls, string label)
    {
        var step = (End - Start).Ticks / calls;
        var watch = Stopwatch.StartNew();
        var reported = from * 20 / calls;
        var batch = new List<InvocationRecord>(BatchSize);
        for (var i = from; i < calls; i++)
        {
            batch.Add(Record(i, Start.AddTicks(i * step)));
            if (batch.Count == BatchSize || i == calls - 1)
            {
                await store.WriteBatchAsync(batch);
                batch.Clear();
            }
            if ((i + 1) * 20 / calls > reported)
            {
                reported = (i + 1) * 20 / calls;
                Console.Error.WriteLine($"   {label}: {i + 1:N0} of {calls:N0} calls written ({(i + 1 - from) / watch.Elapsed.TotalSeconds:N0}/s)");
            }
        }
    }

    /// <summary>A model the model-filtered list reads (model-4 is on provider-1: <c>pick % 12 / 3</c>).</summary>
    public const string SomeModel = "provider-1/model-4";

    /// <summary>The API key id the user-scoped queries read (one of the 50).</summary>
    public const string UserKey = "key-07";

    private static InvocationRecord Record(long i, DateTimeOffset at)
    {
        var hash = (ulong)i * 0x9E3779B97F4A7C15UL;
        var pick = (int)(hash >> 40);
        var provider = (pick % 12) / 3;
        var keyNumber = pick / 12 % 55;
        var key = keyNumber >= 50 ? null : $"key-{keyNumber:00}";
        var roll = pick / 660 % 100;
        var status = roll < 3 ? InvocationStatus.Error : roll < 4 ? InvocationStatus.ClientClosed : InvocationStatus.Success;
        var prompt = status == InvocationStatus.Error ? 0 : 20 + pick % 900;
        var completion = status == InvocationStatus.Error ? 0 : 5 + pick % 400;
        var stream = pick % 5 < 3;
        return new InvocationRecord
        {
            CreatedAt = at,
            Node = "bench-node",
            ApiKeyId = key,
            ApiKeyName = key is null ? null : "team " + key,
            ClientFormat = "openai",
            Provider = $"provider-{provider}",
            Model = $"model-{pick % 12}",
            Status = status,
            HttpStatus = status == InvocationStatus.Error ? 502 : 200,
            PromptTokens = prompt,
            CompletionTokens = completion,
            UsageEstimated = pick % 50 == 0,
            Cost = (prompt * 150 + completion * 600) / 1_000_000_000m * 1000,
            LatencyMs = 200 + pick % 4000,
            TimeToFirstTokenMs = stream ? 50 + pick % 500 : null,
            Stream = stream,
            Attempts = pick % 40 == 0 ? 2 : 1,
            RequestBody = $$"""{"model":"model-{{pick % 12}}","messages":[{"role":"user","content":"benchmark call {{i}}"}]}""",
        };
    }
}
