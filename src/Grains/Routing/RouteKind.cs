namespace LlmRouter.Grains.Routing;

/// <summary>What decided where a request went, as /router/metrics counts it.</summary>
public static class RouteKind
{
    /// <summary>The model the client named.</summary>
    public const string Direct = "direct";

    /// <summary>A model group the client named.</summary>
    public const string Group = "group";

    /// <summary>A routing rule.</summary>
    public const string Rule = "rule";

    /// <summary>Tags (POST /route/invoke).</summary>
    public const string Tags = "tags";
}
