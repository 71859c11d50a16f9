namespace LlmRouter.Toml;

/// <summary>A TOML boolean.</summary>
public sealed class TomlBoolean : TomlValue
{
    internal TomlBoolean(bool value, TomlPosition position)
        : base(position) => Value = value;

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.Boolean;

    /// <summary>The boolean value.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value ? "true" : "false";
}
