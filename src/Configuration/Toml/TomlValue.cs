namespace LlmRouter.Configuration.Toml;

/// <summary>A value of a read TOML document, with where it was written.</summary>
public abstract class TomlValue
{
    // Only this assembly defines value kinds: a table, an array or a scalar.
    private protected TomlValue(TomlPosition position) => Position = position;

    /// <summary>Where the value starts; for a table, the header or the first key that created it.</summary>
    public TomlPosition Position { get; internal set; }

    /// <summary>What the value is, for messages: "a string", "an array", ...</summary>
    internal string Description => this switch
    {
        TomlArray => "an array",
        TomlTable => "a table",
        TomlScalar { Value: string } => "a string",
        TomlScalar { Value: long } => "an integer",
        TomlScalar { Value: double } => "a float",
        TomlScalar { Value: bool } => "a boolean",
        _ => "a date/time",
    };
}
