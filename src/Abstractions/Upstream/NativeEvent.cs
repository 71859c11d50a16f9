namespace LlmRouter.Abstractions.Upstream;

/// <summary>An upstream stream event exactly as it came (for clients that speak the same API as the upstream).</summary>
public sealed record NativeEvent(string Api, string? Event, ReadOnlyMemory<byte> Data);
