using LlmRouter.Abstractions.Embeddings;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Chat;

/// <summary>One chat call about to be made: the model, the effective canonical body, the client's API format and the caller.</summary>
public sealed record ChatInvocation(ResolvedModel Model, JsonObject Body, string ClientFormat)
{
    public CallerIdentity Caller { get; init; } = CallerIdentity.Anonymous;

    /// <summary>What admission reserved for this call; settled once it ends.</summary>
    public Reservation? Reservation { get; init; }

    /// <summary>The model group the client named, when routing went through one (for the invocation log).</summary>
    public string? Group { get; init; }

    /// <summary>The routing rule that picked the model, when one did (for the invocation log).</summary>
    public string? Rule { get; init; }

    /// <summary>The response pipeline the caller's API key names; when null the model's <c>pipeline</c> applies.</summary>
    public string? Pipeline { get; init; }

    /// <summary>The client's request in an upstream API's own format, for upstreams that speak it (no double translation).</summary>
    public NativeRequest? Native { get; init; }

    /// <summary>The pipeline in force: the key's, else the model's.</summary>
    public string? EffectivePipeline => Pipeline ?? Model.Model.Pipeline;

    /// <summary>Links the log records of this call's attempts when it has fallbacks to try (see <see cref="InvocationRecord.CallId"/>).</summary>
    public string? CallId { get; init; }

    /// <summary>The router endpoint the client called, for the invocation log (see <see cref="Monitoring.InvocationEndpoints"/>).</summary>
    public string? Endpoint { get; init; }

    /// <summary>The input of an embeddings call, which admission reserves tokens for; null for a chat call.</summary>
    public EmbeddingInput? Embedding { get; init; }

    /// <summary>The models to try in order: <see cref="Model"/>, then its fallbacks. Empty means <see cref="Model"/> alone.</summary>
    public IReadOnlyList<ResolvedModel> Candidates { get; init; } = [];
}
