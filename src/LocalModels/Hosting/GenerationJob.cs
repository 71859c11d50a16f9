namespace LlmRouter.LocalModels.Hosting;

/// <summary>
/// One chat request: the prompt tokens, what to generate, where the text goes, and who to tell when it ends. The
/// callbacks run on the model's worker thread.
/// </summary>
internal sealed record GenerationJob(
    int[] Prompt,
    GenerationOptions Options,
    Action<string> OnText,
    Action<GenerationOutcome> OnCompleted,
    CancellationToken CancellationToken) : ModelJob(CancellationToken)
{
    public override void Refuse(string error) =>
        OnCompleted(new GenerationOutcome { Status = GenerationStatus.Failed, PromptTokens = Prompt.Length, Error = error });
}
