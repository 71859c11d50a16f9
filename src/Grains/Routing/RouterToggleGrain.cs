using LlmRouter.Abstractions.Routing;
using LlmRouter.Grains.Limits;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Grains.Routing;

/// <summary>
/// The cluster's router toggle (see <see cref="IRouterToggleGrain"/>). A change is written to grain storage before it
/// is answered, so an accepted change survives any silo; it then raises the toggle's version on the change feed.
/// </summary>
public sealed partial class RouterToggleGrain(
    [PersistentState("router-toggle", LimitGrainOptions.StorageName)] IPersistentState<RouterToggleGrainState> state,
    ILogger<RouterToggleGrain> logger) : Grain, IRouterToggleGrain
{
    /// <summary>The accepted changes kept (older ones are dropped): as many as GET /router/history can ask for.</summary>
    public const int HistoryKept = 1000;

    public ValueTask<RouterToggleState?> GetStateAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(state.State.State);

    public async ValueTask<RouterToggleOutcome> ChangeAsync(RouterToggleRequest request, CancellationToken cancellationToken = default)
    {
        var current = state.State.State;
        if (current is not null && current.Value == request.Value)
        {
            return new RouterToggleOutcome(RouterToggleOutcomeKind.Unchanged, current);
        }
        if (current is not null && current.ChangedAt + request.Cooldown > request.Now)
        {
            return new RouterToggleOutcome(RouterToggleOutcomeKind.CoolingDown, current) { RetryAt = current.ChangedAt + request.Cooldown };
        }
        var inForce = current?.EnabledAt(request.Now) ?? request.InitialValue;
        if (current is null && inForce == request.Value)
        {
            return new RouterToggleOutcome(RouterToggleOutcomeKind.Unchanged, Initial(request));
        }
        var changed = new RouterToggleState
        {
            Value = request.Value,
            PreviousValue = inForce,
            EffectiveAt = request.Now + request.Delay,
            ChangedAt = request.Now,
            Reason = request.Reason,
            ChangedBy = request.ChangedBy,
            Node = request.Node,
            Version = (current?.Version ?? 0) + 1,
        };
        var history = state.State.History;
        var entry = new RouterToggleChange
        {
            Id = history.Count == 0 ? 1 : history[^1].Id + 1,
            Value = changed.Value,
            PreviousValue = inForce,
            Reason = changed.Reason,
            ChangedBy = changed.ChangedBy,
            Node = changed.Node,
            RequestedAt = changed.ChangedAt,
            EffectiveAt = changed.EffectiveAt,
        };
        state.State = new RouterToggleGrainState { State = changed, History = [.. history.Skip(Math.Max(0, history.Count + 1 - HistoryKept)), entry] };
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            // Not recorded: the toggle stays as it was, and the caller learns the change failed.
            state.State = new RouterToggleGrainState { State = current, History = history };
            throw;
        }
        await AnnounceAsync();
        return new RouterToggleOutcome(RouterToggleOutcomeKind.Accepted, changed);
    }

    public ValueTask<RouterToggleChange[]> GetHistoryAsync(int limit, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(state.State.History.AsEnumerable().Reverse().Take(Math.Max(0, limit)).ToArray());

    /// <summary>The state of a toggle never changed, as a record (version 0).</summary>
    private static RouterToggleState Initial(RouterToggleRequest request) => new()
    {
        Value = request.InitialValue,
        PreviousValue = request.InitialValue,
        EffectiveAt = DateTimeOffset.UnixEpoch,
        ChangedAt = DateTimeOffset.UnixEpoch,
    };

    /// <summary>The change is recorded either way; a node that misses the announcement still reads it on GET /router/status.</summary>
    private async Task AnnounceAsync()
    {
        try
        {
            await GrainFactory.GetGrain<IChangeFeedGrain>(0).AnnounceAsync(ClusterTopic.Toggle);
        }
        catch (Exception exception)
        {
            LogAnnounceFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The router toggle changed but the change feed could not be told; other nodes learn it at their next read")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception);
}
