using Microsoft.AspNetCore.Builder;

namespace LlmRouter.Api.Auth;

/// <summary>
/// Marks an endpoint open to every caller that shows admins more (GET /health): the authentication step reads the
/// caller as usual but refuses no one; a missing or invalid credential leaves the request anonymous.
/// </summary>
public sealed class CallerOptionalMetadata
{
    public static CallerOptionalMetadata Instance { get; } = new();

    private CallerOptionalMetadata()
    {
    }
}

/// <summary>Puts <see cref="CallerOptionalMetadata"/> on endpoints.</summary>
public static class CallerOptionalExtensions
{
    public static TBuilder AllowAnyCaller<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(CallerOptionalMetadata.Instance);
}
