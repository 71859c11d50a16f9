namespace LlmRouter.Abstractions.Configuration;

/// <summary>A [[model_groups]] entry: a name clients call, spread over member models by a strategy.</summary>
public sealed record ModelGroupConfig
{
    public required string Name { get; init; }
    public string Strategy { get; init; } = "roundrobin";
    public IReadOnlyList<ModelGroupMember> Members { get; init; } = [];
    public IReadOnlyList<string> Fallbacks { get; init; } = [];
}
