namespace LlmRouter.Api.Json;

/// <summary>How POST /route/invoke chose: the query, the candidates in order of preference, and how many were tried.</summary>
public sealed record RouteView(IReadOnlyList<string> Tags, IReadOnlyList<string> ProviderTypes, IReadOnlyList<string> Candidates, int Attempts);
