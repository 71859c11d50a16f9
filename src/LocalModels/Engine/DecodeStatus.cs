namespace LlmRouter.LocalModels.Engine;

/// <summary>How a <c>llama_decode</c> call ended.</summary>
public enum DecodeStatus
{
    Ok,

    /// <summary>The context has no room left for the tokens.</summary>
    ContextFull,

    /// <summary>The call was aborted because the request was cancelled.</summary>
    Aborted,

    Failed,
}
