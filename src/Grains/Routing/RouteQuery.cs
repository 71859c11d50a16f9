using System.Text.Json.Nodes;
using LlmRouter.Grains.Access;
using LlmRouter.Grains.Routing.Rules;

namespace LlmRouter.Grains.Routing;

/// <summary>One chat request as the planner sees it.</summary>
public sealed record RouteQuery
{
    public required ModelCatalog Catalog { get; init; }

    /// <summary>The model name the client gave (in the body, the URL, or through its session).</summary>
    public required string Requested { get; init; }

    /// <summary>The canonical (OpenAI) chat body, read by rules.</summary>
    public JsonObject? Body { get; init; }

    public RoutingRuleSet Rules { get; init; } = RoutingRuleSet.Empty;

    /// <summary>The router toggle: when off, rules are skipped and the request goes where it names.</summary>
    public bool RoutingEnabled { get; init; } = true;

    /// <summary>Null when the caller may use the model; otherwise why not. Candidates it refuses are dropped.</summary>
    public Func<ResolvedModel, AccessDenial?>? Allowed { get; init; }

    public int MaxAttempts { get; init; } = 4;
}
