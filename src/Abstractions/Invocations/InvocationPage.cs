namespace LlmRouter.Abstractions.Invocations;

/// <summary>A page of invocations and the total number matching the query.</summary>
public sealed record InvocationPage(long Total, IReadOnlyList<InvocationRecord> Items);
