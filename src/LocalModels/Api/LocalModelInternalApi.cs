using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.LocalModels;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.LocalModels.Grains;
using LlmRouter.LocalModels.Hosting;
using LlmRouter.LocalModels.Placement;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.LocalModels.Api;

/// <summary>
/// The node-to-node endpoints of a GPU node: OpenAI chat completions (plain or streamed) for a local model it
/// hosts, and the state of its local models. Callers must present the cluster secret as a bearer token.
/// </summary>
public static class LocalModelInternalApi
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static IEndpointRouteBuilder MapLocalModelInternalApi(this IEndpointRouteBuilder app)
    {
        // These endpoints check the cluster secret themselves; API-key authentication does not apply to them.
        app.MapPost(InternalEndpoints.ChatCompletions, ChatCompletionsAsync).AllowAnonymous();
        app.MapGet(InternalEndpoints.Models, ModelsAsync).AllowAnonymous();
        return app;
    }

    private static async Task ChatCompletionsAsync(
        HttpContext http, ClusterSecret secret, LocalModelHost host, SessionAffinity affinity, ClusterIdentity identity, TimeProvider time)
    {
        if (Refuse(http, secret) is { } refusal)
        {
            await WriteAsync(http, refusal).ConfigureAwait(false);
            return;
        }
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException exception)
        {
            await WriteAsync(http, LocalErrors.Invalid("body", "The body is not JSON: " + exception.Message)).ConfigureAwait(false);
            return;
        }
        if (body?["model"] is not JsonValue model || model.GetValueKind() != JsonValueKind.String)
        {
            await WriteAsync(http, LocalErrors.Invalid("model", "'model' must name a local model as 'provider/name'.")).ConfigureAwait(false);
            return;
        }
        var modelId = model.GetValue<string>();
        if (host.Find(modelId) is not { State: not (LocalModelState.Failed or LocalModelState.Stopped) } activation)
        {
            var reason = host.Find(modelId)?.Error ?? "it does not host it";
            await WriteAsync(http, LocalErrors.Unavailable($"node '{identity.NodeId}' cannot serve local model '{modelId}': {reason}")).ConfigureAwait(false);
            return;
        }
        // The forwarding node keeps the session's affinity; this one only serves.
        var grain = new LocalModelGrain(activation, affinity, identity, time);
        var request = new LocalChatRequest(body);
        if (body["stream"] is JsonValue stream && stream.GetValueKind() == JsonValueKind.True)
        {
            await StreamAsync(http, grain, request).ConfigureAwait(false);
            return;
        }
        var result = await grain.CompleteAsync(request, http.RequestAborted).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            await WriteAsync(http, error).ConfigureAwait(false);
            return;
        }
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = result.Body.Length;
        await http.Response.Body.WriteAsync(result.Body, http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext http, LocalModelGrain grain, LocalChatRequest request)
    {
        var aborted = http.RequestAborted;
        await using var stream = await grain.StreamAsync(request, aborted).ConfigureAwait(false);
        if (stream.Error is { } error)
        {
            await WriteAsync(http, error).ConfigureAwait(false);
            return;
        }
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var output = http.Response.BodyWriter;
        try
        {
            await http.Response.StartAsync(aborted).ConfigureAwait(false);
            await foreach (var chunk in stream.Chunks!.ConfigureAwait(false))
            {
                if (chunk.Error is { Kind: UpstreamErrorKind.Cancelled })
                {
                    return;
                }
                output.Write(DataPrefix);
                output.Write(chunk.Error is { } failure ? LocalErrors.Body("server_error", failure.Message, null, "local_model_failed") : chunk.Json.Span);
                output.Write(EventEnd);
                var flushed = await output.FlushAsync(aborted).ConfigureAwait(false);
                if (chunk.Error is not null || flushed.IsCanceled || flushed.IsCompleted)
                {
                    return;
                }
            }
            output.Write(Done);
            await output.FlushAsync(aborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The forwarding node hung up; disposing the stream cancels the generation.
        }
    }

    private static async Task<IResult> ModelsAsync(HttpContext http, ClusterSecret secret, LocalModelHost host, ClusterIdentity identity)
    {
        if (Refuse(http, secret) is { } refusal)
        {
            await WriteAsync(http, refusal).ConfigureAwait(false);
            return Results.Empty;
        }
        var models = new JsonArray();
        foreach (var activation in host.Activations.OrderBy(a => a.ModelId, StringComparer.Ordinal))
        {
            models.Add(new JsonObject
            {
                ["id"] = activation.ModelId,
                ["state"] = activation.State.ToString().ToLowerInvariant(),
                ["error"] = activation.Error,
                ["context_size"] = activation.ContextSize,
                ["queue_depth"] = activation.Pending,
                ["capacity"] = activation.Capacity,
                ["served"] = activation.Served,
                ["cancelled"] = activation.Cancelled,
            });
        }
        var body = new JsonObject { ["node_id"] = identity.NodeId, ["models"] = models };
        return Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8);
    }

    /// <summary>The error for a caller without the cluster secret, or null when it may pass.</summary>
    private static UpstreamError? Refuse(HttpContext http, ClusterSecret secret)
    {
        if (!secret.IsConfigured)
        {
            return LocalErrors.Status(403, "permission_error", $"This node accepts no node-to-node calls: {ClusterSecret.Variable} is not set.", null, "cluster_secret_not_configured");
        }
        var header = http.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        var presented = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
        return secret.Matches(presented)
            ? null
            : LocalErrors.Status(401, "authentication_error", "Node-to-node calls need the cluster secret as a bearer token.", null, "invalid_cluster_secret");
    }

    private static Task WriteAsync(HttpContext http, UpstreamError error)
    {
        if (error.Kind == UpstreamErrorKind.Cancelled || http.Response.HasStarted)
        {
            return Task.CompletedTask;
        }
        var response = http.Response;
        (response.StatusCode, var body) = error switch
        {
            { Kind: UpstreamErrorKind.HttpStatus, Status: { } status, RawBody: { } raw } => (status, Encoding.UTF8.GetBytes(raw)),
            { Kind: UpstreamErrorKind.Unavailable } => (503, LocalErrors.Body("server_error", error.Message, null, "model_unavailable")),
            _ => (500, LocalErrors.Body("server_error", error.Message, null, "local_model_failed")),
        };
        if (error.RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        response.ContentType = "application/json";
        return response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }
}
