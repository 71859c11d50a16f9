namespace LlmRouter.Toml.Parsing;

/// <summary>One part of a (possibly dotted) key, with where it was written.</summary>
internal readonly record struct KeySegment(string Name, TomlPosition Position);
