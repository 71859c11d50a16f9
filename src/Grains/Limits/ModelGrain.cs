using LlmRouter.Abstractions.Limits;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Grains.Limits;

/// <summary>A model's grain: its request and token windows and usage counters, one activation in the cluster.</summary>
public sealed class ModelGrain(
    [PersistentState("model", LimitGrainOptions.StorageName)] IPersistentState<LimitState> state,
    IUsageCounterStore counters, LimitGrainOptions options, TimeProvider time, ILogger<ModelGrain> logger)
    : LimitGrain(state, counters, options, time, logger), IModelGrain
{
    public ValueTask<Admission> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Admit(request));

    public ValueTask<Admission[]> AdmitManyAsync(AdmissionRequest[] requests, CancellationToken cancellationToken = default)
    {
        var answers = new Admission[requests.Length];
        for (var i = 0; i < requests.Length; i++)
        {
            answers[i] = Admit(requests[i]);
        }
        return ValueTask.FromResult(answers);
    }

    private Admission Admit(AdmissionRequest request) =>
        Admit(AdmissionPlan.ForModel(Keys, request), request.ReservationId ?? Reservation.NewId(), out _);

    protected override UsageScope Scope => UsageScope.Model;

    private protected override WindowKeys NewKeys(string id) => WindowKeys.Model(id);

    public ValueTask<Admission[]> SettleAndAdmitAsync(UsageReport[] reports, AdmissionRequest[] requests, CancellationToken cancellationToken = default)
    {
        Settle(reports);
        return AdmitManyAsync(requests, cancellationToken);
    }

    public ValueTask SettleAsync(UsageReport[] reports, CancellationToken cancellationToken = default)
    {
        Settle(reports);
        return ValueTask.CompletedTask;
    }
}
