namespace LlmRouter.Configuration.Toml;

/// <summary>A 1-based line and column in a TOML document; the column counts Unicode scalar values.</summary>
public readonly record struct TomlPosition(int Line, int Column)
{
    /// <summary>Formats the position as <c>line:column</c>, the form used in messages.</summary>
    public override string ToString() => $"{Line}:{Column}";
}
