using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Cluster;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.LocalModels;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.LocalModels.Grains;
using LlmRouter.Providers;
using Microsoft.Extensions.Logging;

namespace LlmRouter.LocalModels.Placement;

/// <summary>
/// A local model this node does not host: the call goes over HTTP to the internal endpoint of a live GPU node
/// that hosts it (the session's node first, else the least loaded). A node that cannot be reached is skipped
/// and the next one tried; so is a node that answers 429 (queue full) or 503 (cannot serve). The wire format is
/// OpenAI's, so the OpenAI-compatible adapter does the HTTP work.
/// </summary>
internal sealed partial class ForwardingLocalModelGrain(string modelId, string? localFailure, ForwardingServices services) : ILocalModelGrain
{
    /// <summary>Why this node does not serve the model itself, for error messages.</summary>
    private string NotHere => localFailure is null ? "this node does not host it" : $"it failed to load on this node: {localFailure}";

    public async ValueTask<UpstreamChatResult> CompleteAsync(LocalChatRequest request, CancellationToken cancellationToken = default)
    {
        var (candidates, body, refusal) = await PlanAsync(request, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return UpstreamChatResult.Failed(refusal);
        }
        var attempts = new Attempts(modelId);
        foreach (var node in candidates)
        {
            UpstreamChatResult result;
            using (services.Directory.Track(node.NodeId))
            {
                result = await services.Adapter.CompleteAsync(Call(node, body!), cancellationToken).ConfigureAwait(false);
            }
            if (result.Error is { } error && Retry(node, error, attempts))
            {
                continue;
            }
            if (result.Error is null)
            {
                await services.Affinity.RecordAsync(request.SessionKey, modelId, node.NodeId).ConfigureAwait(false);
            }
            return result;
        }
        return UpstreamChatResult.Failed(attempts.Final());
    }

    public async ValueTask<UpstreamStream> StreamAsync(LocalChatRequest request, CancellationToken cancellationToken = default)
    {
        var (candidates, body, refusal) = await PlanAsync(request, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return UpstreamStream.Failed(refusal);
        }
        var attempts = new Attempts(modelId);
        foreach (var node in candidates)
        {
            var inFlight = services.Directory.Track(node.NodeId);
            var stream = await services.Adapter.StreamAsync(Call(node, body!), cancellationToken).ConfigureAwait(false);
            if (stream.Error is { } error)
            {
                inFlight.Dispose();
                if (Retry(node, error, attempts))
                {
                    continue;
                }
                return stream;
            }
            await services.Affinity.RecordAsync(request.SessionKey, modelId, node.NodeId).ConfigureAwait(false);
            return new UpstreamStream(stream.Chunks!, async () =>
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                inFlight.Dispose();
            });
        }
        return UpstreamStream.Failed(attempts.Final());
    }

    private async ValueTask<(IReadOnlyList<ClusterNode> Candidates, JsonObject? Body, UpstreamError? Refusal)> PlanAsync(
        LocalChatRequest request, CancellationToken cancellationToken)
    {
        if (!services.Secret.IsConfigured)
        {
            return ([], null, LocalErrors.Unavailable(
                $"local model '{modelId}' cannot be served: {NotHere}, and without {ClusterSecret.Variable} it cannot forward the call"));
        }
        var preferred = await services.Affinity.FindAsync(request.SessionKey, modelId, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ClusterNode> candidates;
        try
        {
            candidates = await services.Directory.CandidatesAsync(modelId, preferred, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRegistryFailed(services.Logger, exception);
            return ([], null, LocalErrors.Unavailable($"cannot find a node for local model '{modelId}': the node registry did not answer"));
        }
        if (candidates.Count == 0)
        {
            return ([], null, LocalErrors.Unavailable($"no live GPU node hosts local model '{modelId}' ({NotHere})"));
        }
        // The internal endpoint looks the model up by its id, not by the upstream name the body carries.
        var body = request.Body.DeepClone().AsObject();
        body["model"] = modelId;
        return (candidates, body, null);
    }

    /// <summary>True when the next node should be tried after <paramref name="error"/>.</summary>
    private bool Retry(ClusterNode node, UpstreamError error, Attempts attempts)
    {
        switch (error)
        {
            // Refused, or the connection broke before any answer (a node that just died): nothing reached the client yet.
            case { Kind: UpstreamErrorKind.Connect } or { Kind: UpstreamErrorKind.Protocol, Status: null }:
                services.Directory.MarkDown(node.NodeId);
                LogUnreachable(services.Logger, node.NodeId, node.InternalUrl, modelId);
                attempts.Unreachable.Add(node.NodeId);
                return true;
            case { Kind: UpstreamErrorKind.HttpStatus, Status: 429 }:
                attempts.Busy ??= error;
                return true;
            case { Kind: UpstreamErrorKind.HttpStatus, Status: 503 }:
                attempts.Unavailable ??= error;
                return true;
            default:
                return false;
        }
    }

    private UpstreamCall Call(ClusterNode node, JsonObject body)
    {
        var provider = new ProviderConfig
        {
            Name = "node " + node.NodeId,
            Type = ProviderTypes.OpenAi,
            BaseUrl = node.InternalUrl,
            Settings = new Dictionary<string, object?> { ["endpoint"] = InternalEndpoints.ChatCompletions },
        };
        var model = new ModelConfig { Name = modelId, Provider = provider.Name };
        var timeout = TimeSpan.FromSeconds(services.Config.Current.Server.DefaultTimeoutSeconds);
        return new UpstreamCall(new UpstreamChatRequest(new ResolvedModel(model, provider), body), services.Secret.Value, timeout);
    }

    /// <summary>What the tried nodes answered, to pick the error the client gets when none served.</summary>
    private sealed class Attempts(string modelId)
    {
        public List<string> Unreachable { get; } = [];
        public UpstreamError? Busy { get; set; }
        public UpstreamError? Unavailable { get; set; }

        public UpstreamError Final() =>
            Busy ?? LocalErrors.Unavailable(Unavailable is { } refused
                ? $"no GPU node can serve local model '{modelId}' now: {refused.Message}"
                : $"no GPU node hosting local model '{modelId}' could be reached (tried {string.Join(", ", Unreachable)})");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GPU node {Node} at {Url} could not be reached for local model {Model}; trying the next one")]
    private static partial void LogUnreachable(ILogger logger, string node, string url, string model);

    [LoggerMessage(Level = LogLevel.Error, Message = "The node registry did not answer")]
    private static partial void LogRegistryFailed(ILogger logger, Exception exception);
}
