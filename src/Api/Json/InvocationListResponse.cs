namespace LlmRouter.Api.Json;

/// <summary>What GET /monitor/invocations answers: the number matching the filters and one page of them, newest first.</summary>
public sealed record InvocationListResponse(long Total, int Limit, int Offset, IReadOnlyList<InvocationView> Items);
