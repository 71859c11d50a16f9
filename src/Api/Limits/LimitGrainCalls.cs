using System.Collections.Concurrent;
using LlmRouter.Abstractions.Grains;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Limits;

/// <summary>
/// This node's calls to the key and model grains, one <see cref="GrainCallBatches{TItem, TResult}"/> per grain shared by
/// admission (<see cref="LimitGate"/>) and settlement (<see cref="PendingSettlements"/>): the usage of finished calls
/// rides with the next admissions to the same grain, so under load a grain gets one message for both where it got two.
/// The grain settles first, then admits, as if the settlements had arrived just before (their order against each other
/// was never fixed). The calls take no cancellation token, as a cancellable call costs a subscription.
/// </summary>
public sealed partial class LimitGrainCalls(IGrainFactory grains, ILogger<LimitGrainCalls> logger)
{
    // One batcher per key and model grain (which also keeps the grain reference, built by reflection-backed activation).
    private readonly ConcurrentDictionary<string, GrainCallBatches<LimitWork, Admission?>> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GrainCallBatches<LimitWork, Admission?>> _models = new(StringComparer.Ordinal);

    internal GrainCallBatches<LimitWork, Admission?> Key(string keyId) =>
        _keys.GetOrAdd(keyId, static (id, self) => self.Batches(self._grains.GetGrain<IApiKeyGrain>(id).SettleAndAdmitAsync), this);

    internal GrainCallBatches<LimitWork, Admission?> Model(string modelId) =>
        _models.GetOrAdd(modelId, static (id, self) => self.Batches(self._grains.GetGrain<IModelGrain>(id).SettleAndAdmitAsync), this);

    /// <summary>Completes when every call queued so far has been answered (or has failed, which its caller was told).</summary>
    public async Task Pending() =>
        await Task.WhenAll(_models.Values.Concat(_keys.Values).Select(q => q.Pending())).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    private readonly IGrainFactory _grains = grains;

    private GrainCallBatches<LimitWork, Admission?> Batches(Func<UsageReport[], AdmissionRequest[], CancellationToken, ValueTask<Admission[]>> call) =>
        new(work => SendAsync(call, work));

    private async Task<Admission?[]> SendAsync(Func<UsageReport[], AdmissionRequest[], CancellationToken, ValueTask<Admission[]>> call, LimitWork[] work)
    {
        var reports = new List<UsageReport>();
        var requests = new List<AdmissionRequest>(work.Length);
        foreach (var item in work)
        {
            if (item.Settle is { } report)
            {
                reports.Add(report);
            }
            else
            {
                requests.Add(item.Admit!);
            }
        }
        Admission[] admissions;
        try
        {
            admissions = await call([.. reports], [.. requests], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (reports.Count > 0)
        {
            LogSettlementLost(logger, exception, reports.Count, reports[0].ModelId);
            throw;
        }
        var answers = new Admission?[work.Length];
        for (int i = 0, next = 0; i < work.Length; i++)
        {
            if (work[i].Admit is not null)
            {
                answers[i] = admissions[next++];
            }
        }
        return answers;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The usage of {Count} calls (the first to {Model}) could not be settled on their grain")]
    private static partial void LogSettlementLost(ILogger logger, Exception exception, int count, string model);
}

/// <summary>One item of a call to a limit grain: a call to admit, or a finished call's usage to settle.</summary>
internal readonly record struct LimitWork(AdmissionRequest? Admit, UsageReport? Settle);
