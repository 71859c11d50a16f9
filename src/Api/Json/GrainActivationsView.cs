namespace LlmRouter.Api.Json;

/// <summary>How many activations of one grain type the cluster holds.</summary>
public sealed record GrainActivationsView(string GrainType, int Activations);
