namespace LlmRouter.LocalModels.Hosting;

/// <summary>Where a local model is in its life on this node.</summary>
public enum LocalModelState
{
    Loading,
    Ready,
    Failed,
    Stopped,
}
