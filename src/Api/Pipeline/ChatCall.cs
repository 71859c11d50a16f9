using LlmRouter.Api.Auth;
using LlmRouter.Api.Chat;
using LlmRouter.Api.ClientFormats;
using LlmRouter.Grains.Routing;

namespace LlmRouter.Api.Pipeline;

/// <summary>
/// One chat request on its way through the <see cref="ChatPipeline"/>: each step reads what the steps before it set
/// and narrows it (who calls, what they asked, where it may go, what was admitted).
/// </summary>
public sealed class ChatCall(HttpContext http, IClientProtocol protocol)
{
    public HttpContext Http { get; } = http;

    /// <summary>The front door's client API.</summary>
    public IClientProtocol Protocol { get; } = protocol;

    /// <summary>Who calls: the key and session the authentication middleware found (set first).</summary>
    public CallerAccess Access { get; set; } = CallerAccess.Unauthenticated;

    /// <summary>What the client asked for, in canonical form (set by parsing).</summary>
    public ChatRequest? Request { get; set; }

    /// <summary>The candidates the request may go to, in order, the key's policy applied (set by routing).</summary>
    public RoutePlan? Route { get; set; }

    /// <summary>The call to make: set by routing, then given its reservation by admission.</summary>
    public ChatInvocation? Invocation { get; set; }
}
