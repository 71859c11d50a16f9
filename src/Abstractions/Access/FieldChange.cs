namespace LlmRouter.Abstractions.Access;

/// <summary>A new value for one field of a partial update; an absent change (null) leaves the field as it is.</summary>
public sealed record FieldChange<T>(T Value);
