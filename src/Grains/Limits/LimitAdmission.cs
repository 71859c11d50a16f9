using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Grains.Limits;

/// <summary>Runs one admission: plan the windows, refuse what can never fit, else one reservation round trip to the store.</summary>
internal static class LimitAdmission
{
    public static async ValueTask<Admission> AdmitAsync(ILimitStore store, string modelId, string? keyId, AdmissionRequest request, CancellationToken cancellationToken)
    {
        var plan = new AdmissionPlan(modelId, keyId, request);
        if (plan.IsEmpty)
        {
            return new Admission { IsAcquired = true, Reservation = Reservation.Nothing() };
        }
        if (plan.RefuseOversized() is { } oversized)
        {
            return oversized;
        }
        var id = Reservation.NewId();
        var outcome = await store.ReserveAsync(plan.ToStoreRequest(id), cancellationToken).ConfigureAwait(false);
        return plan.Interpret(outcome, id);
    }
}
