namespace LlmRouter.Abstractions.Configuration;

/// <summary>Gives the configuration snapshot in force; a reload swaps it as a whole.</summary>
public interface IRouterConfigSource
{
    RouterConfig Current { get; }

    /// <summary>Raised after a new snapshot is in force.</summary>
    event Action<RouterConfig>? Changed;
}
