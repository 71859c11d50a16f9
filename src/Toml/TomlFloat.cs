using System.Globalization;

namespace LlmRouter.Toml;

/// <summary>A TOML float, including <c>inf</c> and <c>nan</c>.</summary>
public sealed class TomlFloat : TomlValue
{
    internal TomlFloat(double value, TomlPosition position)
        : base(position) => Value = value;

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.Float;

    /// <summary>The IEEE-754 binary64 value.</summary>
    public double Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}
