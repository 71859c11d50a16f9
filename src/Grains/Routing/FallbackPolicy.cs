namespace LlmRouter.Grains.Routing;

/// <summary>
/// Which failures make the router try the next candidate: the upstream could not be reached, timed out, broke
/// its protocol, answered 429 or 5xx, or cannot serve now (open circuit, no node hosting a local model). Other
/// 4xx answers are about the request and would fail anywhere; a cancelled call means the client has gone.
/// </summary>
public static class FallbackPolicy
{
    public static bool ShouldFallBack(UpstreamError error) => error.Kind switch
    {
        UpstreamErrorKind.Connect or UpstreamErrorKind.Timeout or UpstreamErrorKind.Protocol or UpstreamErrorKind.Unavailable => true,
        UpstreamErrorKind.HttpStatus => error.Status is 429 or >= 500,
        _ => false,
    };
}
