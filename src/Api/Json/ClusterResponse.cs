namespace LlmRouter.Api.Json;

/// <summary>What GET /cluster answers: every silo in the membership table, and activations by grain type.</summary>
public sealed record ClusterResponse(IReadOnlyList<SiloView> Silos, IReadOnlyList<GrainActivationsView> Activations);
