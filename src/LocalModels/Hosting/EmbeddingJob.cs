namespace LlmRouter.LocalModels.Hosting;

/// <summary>One embeddings call: its inputs as token arrays, and who to tell when it ends (on the model's worker thread).</summary>
internal sealed record EmbeddingJob(
    IReadOnlyList<int[]> Inputs,
    Action<EmbeddingOutcome> OnCompleted,
    CancellationToken CancellationToken) : ModelJob(CancellationToken)
{
    public override void Refuse(string error) =>
        OnCompleted(new EmbeddingOutcome { Status = GenerationStatus.Failed, PromptTokens = Inputs.Sum(i => i.Length), Error = error });
}
