namespace LlmRouter.Configuration.Toml;

/// <summary>
/// A string, integer, float, boolean or date-time, as Tomlyn decoded it: <see cref="Value"/> is a
/// <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or <see cref="Tomlyn.TomlDateTime"/>.
/// </summary>
public sealed class TomlScalar : TomlValue
{
    internal TomlScalar(object value, TomlPosition position)
        : base(position) => Value = value;

    public object Value { get; }
}
