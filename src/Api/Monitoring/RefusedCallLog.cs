using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Monitoring;

/// <summary>
/// Writes the calls an inference endpoint refused itself to the invocation log, status rejected: 400, 403, 404 and 429
/// always, 413 and 415 when the caller's key is known; no upstream attempt, no tokens, no cost. A 401 never reaches an
/// endpoint (authentication answers it first), so unauthenticated floods add nothing to the log; /metrics counts them.
/// The record is queued without waiting (the log bounds how many wait: see BatchedInvocationLog).
/// </summary>
public sealed class RefusedCallLog(IInvocationLog log, NodeInfo node, TimeProvider time, Func<HttpRequest, string> clientFormat)
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var createdAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var call = new RefusedCall();
        http.Features.Set(call);
        var result = await next(context).ConfigureAwait(false);
        if (!call.Admitted && call.Error is { } error && Logged(error.Status, http))
        {
            var caller = http.GetCaller();
            _ = log.Append(new InvocationRecord
            {
                CreatedAt = createdAt,
                Node = node.NodeId,
                ApiKeyId = caller.ApiKeyId,
                ApiKeyName = caller.ApiKeyName,
                SessionId = caller.SessionId,
                ClientFormat = clientFormat(http.Request),
                Endpoint = InvocationEndpoints.Of(http.Request),
                Provider = call.Provider,
                Model = call.Model,
                Status = InvocationStatus.Rejected,
                HttpStatus = error.Status,
                Error = $"{error.Code ?? error.Type}: {error.Message}",
                RefusedBy = call.Limit,
                LatencyMs = (long)time.GetElapsedTime(started).TotalMilliseconds,
                Attempts = 0,
            });
        }
        return result;
    }

    private static bool Logged(int status, HttpContext http) => status switch
    {
        400 or 403 or 404 or 429 => true,
        413 or 415 => http.GetAccess().Key is not null,
        _ => false,
    };
}

/// <summary>Puts <see cref="RefusedCallLog"/> on an inference endpoint.</summary>
public static class RefusedCallLogExtensions
{
    public static TBuilder LogsRefusedCalls<TBuilder>(this TBuilder builder, string clientFormat) where TBuilder : IEndpointConventionBuilder =>
        builder.LogsRefusedCalls(_ => clientFormat);

    /// <param name="clientFormat">The API the client spoke, when one endpoint serves several (by path).</param>
    public static TBuilder LogsRefusedCalls<TBuilder>(this TBuilder builder, Func<HttpRequest, string> clientFormat) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var services = factory.ApplicationServices;
            var filter = new RefusedCallLog(
                services.GetRequiredService<IInvocationLog>(), services.GetRequiredService<NodeInfo>(), services.GetRequiredService<TimeProvider>(), clientFormat);
            return context => filter.InvokeAsync(context, next);
        });
}
