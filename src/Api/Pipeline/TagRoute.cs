namespace LlmRouter.Api.Pipeline;

/// <summary>A request routed by tags: the best active model having every tag (and one of the provider types, when given).</summary>
public sealed record TagRoute(IReadOnlyList<string> Tags, IReadOnlyList<string> ProviderTypes)
{
    /// <summary>The answer when no active model fits.</summary>
    public ApiError NoneFits() => new(404, "invalid_request_error",
        $"No active model has all of the tags [{string.Join(", ", Tags)}]{(ProviderTypes.Count > 0 ? $" and one of the provider types [{string.Join(", ", ProviderTypes)}]" : "")}.",
        "query", "model_not_found");

    /// <summary>The answer while routing is turned off.</summary>
    public static ApiError RoutingDisabled { get; } = new(503, "routing_disabled",
        "Routing is turned off (GET /router/status), so tags choose no model; name the model instead, e.g. POST /models/{provider}/{model}/invoke.",
        Code: "routing_disabled");
}
