namespace LlmRouter.Configuration.Toml;

/// <summary>One segment of a (possibly dotted) key, decoded, with where it was written.</summary>
internal readonly record struct TomlKeySegment(string Name, TomlPosition Position);
