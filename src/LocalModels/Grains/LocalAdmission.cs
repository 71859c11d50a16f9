using LlmRouter.LocalModels.Hosting;

namespace LlmRouter.LocalModels.Grains;

/// <summary>Admits a call to a local model on this silo: one of its admission slots, then the model once it is loaded.</summary>
internal static class LocalAdmission
{
    /// <summary>
    /// Takes an admission slot and waits for the model to be loaded. On success the slot stays taken (the caller
    /// enqueues a job, which gives it back, or releases it); on an error none is held.
    /// </summary>
    public static async ValueTask<(LlamaModel? Model, UpstreamError? Error)> ReserveAsync(LocalModelActivation activation, string nodeId, CancellationToken cancellationToken)
    {
        if (!activation.TryReserve())
        {
            return (null, activation.State is LocalModelState.Failed or LocalModelState.Stopped
                ? Unavailable(activation, nodeId)
                : LocalErrors.QueueFull(activation.ModelId, activation.Capacity));
        }
        try
        {
            return (await activation.Loaded.WaitAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            activation.Release();
            return (null, LocalErrors.Cancelled());
        }
        catch (LocalModelException)
        {
            activation.Release();
            return (null, Unavailable(activation, nodeId));
        }
    }

    public static UpstreamError Unavailable(LocalModelActivation activation, string nodeId) =>
        LocalErrors.Unavailable($"local model '{activation.ModelId}' cannot serve on node '{nodeId}': {activation.Error ?? "it is shutting down"}");
}
