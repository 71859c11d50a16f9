namespace LlmRouter.Grains.Routing;

/// <summary>Why a model name did not resolve.</summary>
public enum ModelResolutionError
{
    None,
    NotFound,
    Ambiguous,
}
