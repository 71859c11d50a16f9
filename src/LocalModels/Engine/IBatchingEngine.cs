namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// What a model's worker thread drives: calls are added between steps, and each <see cref="Step"/> evaluates the
/// calls in flight together in one <c>llama_decode</c>. Not thread-safe.
/// </summary>
public interface IBatchingEngine : IDisposable
{
    /// <summary>No call is running or waiting.</summary>
    bool IsIdle { get; }

    /// <summary>Evaluates one batch; does nothing when idle.</summary>
    void Step();
}
