namespace LlmRouter.Grains.Routing;

/// <summary>Calls in flight per model (<c>provider/model</c>) on this node.</summary>
public interface IModelLoad
{
    int InFlight(string modelId);
}
