using System.Globalization;

namespace LlmRouter.Toml;

/// <summary>A TOML integer (decimal, hexadecimal, octal or binary in the source).</summary>
public sealed class TomlInteger : TomlValue
{
    internal TomlInteger(long value, TomlPosition position)
        : base(position) => Value = value;

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.Integer;

    /// <summary>The integer value.</summary>
    public long Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
