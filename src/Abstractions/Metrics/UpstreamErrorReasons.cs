using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Abstractions.Metrics;

/// <summary>The <c>reason</c> label values of <c>llm_router_upstream_errors_total</c>: few and bounded.</summary>
public static class UpstreamErrorReasons
{
    public const string Connect = "connect";
    public const string Timeout = "timeout";
    public const string Protocol = "protocol";

    /// <summary>The reason for an error, or null for a cancelled call (the client left: not the upstream's fault).</summary>
    public static string? Of(UpstreamError error) => error.Kind switch
    {
        UpstreamErrorKind.Connect => Connect,
        UpstreamErrorKind.Timeout => Timeout,
        UpstreamErrorKind.Protocol => Protocol,
        UpstreamErrorKind.HttpStatus => error.Status is int status ? $"http_{status}" : "http",
        _ => null,
    };
}
