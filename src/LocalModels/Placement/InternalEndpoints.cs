namespace LlmRouter.LocalModels.Placement;

/// <summary>The paths of the node-to-node endpoints (authenticated with the cluster secret).</summary>
public static class InternalEndpoints
{
    /// <summary>OpenAI chat completions for a local model hosted on the node; the body's <c>model</c> is the model id.</summary>
    public const string ChatCompletions = "/internal/local/v1/chat/completions";

    /// <summary>The node's local models with their state, queue and counters.</summary>
    public const string Models = "/internal/local/v1/models";
}
