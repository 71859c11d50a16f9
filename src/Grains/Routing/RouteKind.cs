namespace LlmRouter.Grains.Routing;

/// <summary>What decided where a request went, as /router/metrics counts it (by its <see cref="Abstractions.WireNames{TValue}"/> name).</summary>
public enum RouteKind
{
    /// <summary>The model the client named.</summary>
    Direct,

    /// <summary>A model group the client named.</summary>
    Group,

    /// <summary>A routing rule.</summary>
    Rule,

    /// <summary>Tags (POST /route/invoke).</summary>
    Tags,
}
