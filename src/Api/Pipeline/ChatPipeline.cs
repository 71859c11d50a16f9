using LlmRouter.Api.Auth;
using LlmRouter.Api.Chat;
using LlmRouter.Api.ClientFormats;

namespace LlmRouter.Api.Pipeline;

/// <summary>
/// The one way every chat front door goes from request to log, each step narrowing the request's <see cref="ChatCall"/>:
/// authenticate (the caller the middleware found) → parse (the client's protocol) → resolve and route, the key's
/// policy applied (<see cref="RouteStep"/>) → admit (<see cref="AdmitStep"/>) → invoke with fallbacks
/// (<see cref="FallbackLoop"/>) → relay (<see cref="StreamRelay"/>) → record (<see cref="InvocationRecorder"/>). A
/// refusal at any step is answered by the client's protocol, in its API's shape.
/// </summary>
public sealed class ChatPipeline(IRouterConfigSource config, RouteStep route, AdmitStep admit, FallbackLoop invoker, TimeProvider time)
{
    public async Task RunAsync(HttpContext http, IClientProtocol protocol)
    {
        var call = new ChatCall(http, protocol) { Access = http.GetAccess() };
        var refusal = await ParseAsync(call).ConfigureAwait(false)
            ?? await route.RouteAsync(call).ConfigureAwait(false)
            ?? await admit.AdmitAsync(call).ConfigureAwait(false);
        if (refusal is not null)
        {
            await protocol.WriteErrorAsync(http, refusal).ConfigureAwait(false);
            return;
        }
        await InvokeAsync(call).ConfigureAwait(false);
    }

    /// <summary>Reads the body and lets the client's protocol make a chat request of it.</summary>
    private async ValueTask<ApiError?> ParseAsync(ChatCall call)
    {
        var http = call.Http;
        var (body, readError) = await ChatBodyReader.ReadObjectAsync(http.Request, config.Current.Server.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (readError is not null)
        {
            return readError;
        }
        var (request, invalid) = await call.Protocol.ParseAsync(body!, call).ConfigureAwait(false);
        call.Request = request;
        return invalid;
    }

    private async Task InvokeAsync(ChatCall call)
    {
        var http = call.Http;
        var invocation = call.Invocation!;
        if (call.Protocol.OpenStream(call) is { } encoder)
        {
            await invoker.StreamAsync(http, invocation, encoder).ConfigureAwait(false);
            return;
        }
        var started = time.GetTimestamp();
        var (result, servedBy) = await invoker.CompleteAsync(invocation, http.RequestAborted).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            await call.Protocol.WriteErrorAsync(http, ApiErrors.FromUpstream(error)).ConfigureAwait(false);
            return;
        }
        await call.Protocol.WriteAnswerAsync(call, new CompletedCall(result, servedBy, (long)time.GetElapsedTime(started).TotalMilliseconds)).ConfigureAwait(false);
    }
}
