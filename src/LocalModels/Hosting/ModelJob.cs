namespace LlmRouter.LocalModels.Hosting;

/// <summary>A call waiting for (or held by) a model's worker thread, on an admission slot it gives back when it ends.</summary>
internal abstract record ModelJob(CancellationToken CancellationToken)
{
    /// <summary>Ends the job without running it (the model is being unloaded, or does not serve this kind of call).</summary>
    public abstract void Refuse(string error);
}
