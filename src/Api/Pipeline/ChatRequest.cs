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
}

/// <summary>Only candidates speaking <paramref name="WireApi"/> may serve; <paramref name="WhenNone"/> is the answer when none does.</summary>
public sealed record CandidateRestriction(string WireApi, ApiError WhenNone);
