using LlmRouter.Grains.Access;

namespace LlmRouter.Grains.Routing;

/// <summary>Where one request goes: the models to try in order, and what chose them; or why it goes nowhere.</summary>
public sealed record RoutePlan
{
    /// <summary>The first choice, then the fallbacks; empty when the request cannot be routed.</summary>
    public IReadOnlyList<ResolvedModel> Candidates { get; init; } = [];

    public RouteKind Kind { get; init; } = RouteKind.Direct;

    /// <summary>The model group the request went through, if any.</summary>
    public string? Group { get; init; }

    /// <summary>The routing rule that chose the candidates, if one did.</summary>
    public string? Rule { get; init; }

    /// <summary>What the client named, as it resolved (a model id or a group name); null when it did not resolve.</summary>
    public string? Named { get; init; }

    /// <summary>Set when the name did not resolve and no rule routed the request.</summary>
    public ModelResolution? Unresolved { get; init; }

    /// <summary>Set when the caller's key may use none of the candidates (the first candidate's denial).</summary>
    public AccessDenial? Denied { get; init; }

    public ResolvedModel? First => Candidates.Count > 0 ? Candidates[0] : null;
}
