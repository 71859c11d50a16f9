using LlmRouter.Api.Limits;

namespace LlmRouter.Api.Pipeline;

/// <summary>
/// Lets a routed call through its key's and model's limits (<see cref="LimitGate"/>): the admitted call gets its
/// reservation; a refusal comes back as a value, for the front door to answer in its own API's shape.
/// </summary>
public sealed class AdmitStep(LimitGate gate)
{
    /// <summary>Null when the call is admitted (<see cref="ChatCall.Invocation"/> then holds its reservation); otherwise the refusal.</summary>
    public async ValueTask<ApiError?> AdmitAsync(ChatCall call)
    {
        ApiError? refusal = null;
        var admitted = await gate.AdmitCallAsync(call.Http, call.Invocation!, (_, error) =>
        {
            refusal = error;
            return Task.CompletedTask;
        }).ConfigureAwait(false);
        if (admitted is null)
        {
            return refusal ?? throw new InvalidOperationException("The limit gate refused a call without saying why.");
        }
        call.Invocation = admitted;
        return null;
    }
}
