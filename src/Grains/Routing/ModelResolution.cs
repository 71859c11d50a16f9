namespace LlmRouter.Grains.Routing;

/// <summary>The outcome of resolving a client's model name: a model, or why there is none.</summary>
public sealed record ModelResolution
{
    public ResolvedModel? Model { get; init; }

    /// <summary>The group the name called, when it named one; <see cref="Model"/> is then its first active member.</summary>
    public ModelGroupConfig? Group { get; init; }
    public ModelResolutionError Error { get; init; }
    public string? Message { get; init; }

    /// <summary>The ids an ambiguous bare name could mean.</summary>
    public IReadOnlyList<string> Candidates { get; init; } = [];

    public static ModelResolution Found(ResolvedModel model) => new() { Model = model };
}
