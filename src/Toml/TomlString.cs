namespace LlmRouter.Toml;

/// <summary>A TOML string of any of the four string syntaxes, with escapes resolved.</summary>
public sealed class TomlString : TomlValue
{
    internal TomlString(string value, TomlPosition position)
        : base(position) => Value = value;

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.String;

    /// <summary>The decoded text.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;
}
