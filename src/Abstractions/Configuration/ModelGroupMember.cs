namespace LlmRouter.Abstractions.Configuration;

/// <summary>A model in a group, with its weight (default 100).</summary>
public sealed record ModelGroupMember(string Model, int Weight = 100);
