namespace LlmRouter.Api.Pipeline;

/// <summary>A whole answer that came back: the result, the candidate that gave it, and how long the call took with its fallbacks.</summary>
public sealed record CompletedCall(UpstreamChatResult Result, ResolvedModel ServedBy, long LatencyMs);
