namespace LlmRouter.Grains.Routing;

/// <summary>Observed latency per model (<c>provider/model</c>) on this node.</summary>
public interface IModelLatencies
{
    /// <summary>The moving average in milliseconds, or null when no call to the model has finished yet.</summary>
    double? LatencyMs(string modelId);
}
