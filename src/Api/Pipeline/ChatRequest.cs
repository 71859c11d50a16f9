using LlmRouter.Abstractions.Embeddings;

namespace LlmRouter.Api.Pipeline;

/// <summary>A chat request as a front door read it: the canonical (OpenAI chat) body and how the client named its model.</summary>
public sealed record ChatRequest(JsonObject Body)
{
    /// <summary>The model or group the request names (or the session's), routed by name; null when <see cref="Tags"/> choose.</summary>
    public string? Requested { get; init; }

    /// <summary>The tags that choose the model instead of a name (POST /route/invoke).</summary>
    public TagRoute? Tags { get; init; }

    /// <summary>The request itself named its model, which binds the name to the caller's session.</summary>
    public bool NamesModel { get; init; }

    /// <summary>The client's request in an upstream API's own format, for candidates that speak it.</summary>
    public NativeRequest? Native { get; init; }

    /// <summary>Candidates are narrowed to those speaking one wire API, when the request uses what only that API understands.</summary>
    public CandidateRestriction? Restriction { get; init; }

    /// <summary>The input of an embeddings request (POST /v1/embeddings), whose body is OpenAI's embeddings request; null for chat.</summary>
    public EmbeddingInput? Embedding { get; init; }
}

/// <summary>
/// Only candidates speaking <paramref name="WireApi"/> (or, when it is null, those <see cref="Serves"/> accepts) may
/// serve; <paramref name="Refusal"/> is the answer when none does, given the candidate that would have served first.
/// </summary>
public sealed record CandidateRestriction(string? WireApi, Func<ResolvedModel, ApiError> Refusal)
{
    /// <summary>Which candidates may serve a request that needs what only some models can do (embeddings).</summary>
    public Func<ResolvedModel, bool>? Serves { get; init; }

    public bool Allows(ResolvedModel model) => Serves?.Invoke(model) ?? ProviderApis.Of(model.Provider) == WireApi;
}
