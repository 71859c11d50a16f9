namespace LlmRouter.Toml;

/// <summary>A value in a parsed TOML document.</summary>
public abstract class TomlValue
{
    // Only this assembly defines value kinds: the set is closed by the TOML specification.
    private protected TomlValue(TomlPosition position) => Position = position;

    /// <summary>The TOML type of this value.</summary>
    public abstract TomlValueKind Kind { get; }

    /// <summary>Where the value starts; for tables, the header or the first key that created the table.</summary>
    public TomlPosition Position { get; internal set; }
}
