using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.LocalModels;
using LlmRouter.LocalModels.Hosting;
using LlmRouter.LocalModels.Placement;
using Orleans.Concurrency;

namespace LlmRouter.LocalModels.Grains;

/// <summary>
/// A local model's grain on the gpu silo that hosts it: hands each call to the model's activation on this silo,
/// which batches every call in flight (chat, or embeddings for an embedding model). Reentrant, so calls to one
/// activation run together (and join one batch).
/// A new activation (a new session) goes to the gpu silo hosting the fewest of them.
/// </summary>
[Reentrant]
[GpuHostPlacementFilter]
[LeastBusyGpuPlacement]
internal sealed class LocalModelGrain(LocalModelHost host, IRouterConfigSource config, TimeProvider time) : Grain, ILocalModelGrain
{
    private string ModelId => LocalModelGrainKey.ModelId(this.GetPrimaryKeyString());

    public async ValueTask<LocalChatAnswer> CompleteAsync(LocalChatRequest request, CancellationToken cancellationToken = default)
    {
        var (server, body, error) = Prepare(request);
        return error is not null
            ? LocalChatAnswer.From(UpstreamChatResult.Failed(error))
            : LocalChatAnswer.From(await server!.CompleteAsync(body!, cancellationToken));
    }

    public async IAsyncEnumerable<LocalChatChunk> StreamAsync(LocalChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (server, body, error) = Prepare(request);
        if (error is not null)
        {
            yield return LocalChatChunk.Failed(error);
            yield break;
        }
        // Leaving this method early (the caller disposed its enumerator) disposes the stream, which stops the generation.
        await using var stream = await server!.StreamAsync(body!, cancellationToken);
        if (stream.Error is { } refused)
        {
            yield return LocalChatChunk.Failed(refused);
            yield break;
        }
        await foreach (var chunk in stream.Chunks!.WithCancellation(cancellationToken))
        {
            yield return LocalChatChunk.From(chunk);
        }
    }

    public async ValueTask<LocalEmbeddingAnswer> EmbedAsync(LocalEmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        var (activation, error) = Activation();
        return error is not null
            ? LocalEmbeddingAnswer.Failed(error)
            : await new LocalEmbeddingServer(activation!, NodeId).EmbedAsync(request, cancellationToken);
    }

    /// <summary>The model's activation on this silo, or why it cannot serve.</summary>
    private (LocalModelActivation? Activation, UpstreamError? Error) Activation()
    {
        var modelId = ModelId;
        if (host.Find(modelId) is not { State: not (LocalModelState.Failed or LocalModelState.Stopped) } activation)
        {
            // Placed here by metadata written at start, but the model is gone or failed: let the next call be placed anew.
            DeactivateOnIdle();
            var reason = host.Find(modelId)?.Error ?? "it does not host it";
            return (null, LocalErrors.Unavailable($"node '{NodeId}' cannot serve local model '{modelId}': {reason}"));
        }
        return (activation, null);
    }

    private (LocalChatServer? Server, JsonObject? Body, UpstreamError? Error) Prepare(LocalChatRequest request)
    {
        var (activation, unavailable) = Activation();
        if (unavailable is not null)
        {
            return (null, null, unavailable);
        }
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(request.Body) as JsonObject;
        }
        catch (JsonException exception)
        {
            return (null, null, LocalErrors.Invalid("body", "The body is not JSON: " + exception.Message));
        }
        return body is null
            ? (null, null, LocalErrors.Invalid("body", "The body must be a JSON object."))
            : (new LocalChatServer(activation!, NodeId, time), body, null);
    }

    private string NodeId => config.Current.Cluster.NodeId ?? Environment.MachineName;
}
