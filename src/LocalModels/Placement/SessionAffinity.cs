using System.Security.Cryptography;
using System.Text;
using LlmRouter.Abstractions.Cluster;
using Microsoft.Extensions.Logging;

namespace LlmRouter.LocalModels.Placement;

/// <summary>
/// Remembers, in the store, which node served a session's last call to each local model, so the next call goes
/// where the conversation is already in the KV cache. Best effort: a store hiccup costs a cold cache, never a call.
/// Session keys are stored hashed.
/// </summary>
public sealed partial class SessionAffinity(INodeRegistry registry, ILogger<SessionAffinity> logger)
{
    public async ValueTask<string?> FindAsync(string? sessionKey, string modelId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionKey))
        {
            return null;
        }
        try
        {
            return await registry.FindSessionNodeAsync(Hash(sessionKey), modelId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogStoreFailed(logger, exception);
            return null;
        }
    }

    public async ValueTask RecordAsync(string? sessionKey, string modelId, string nodeId)
    {
        if (string.IsNullOrEmpty(sessionKey))
        {
            return;
        }
        try
        {
            await registry.RecordSessionAsync(Hash(sessionKey), modelId, nodeId).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogStoreFailed(logger, exception);
        }
    }

    private static string Hash(string sessionKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionKey)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session affinity is unavailable (the store did not answer)")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);
}
