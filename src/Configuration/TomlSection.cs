using System.Globalization;

namespace LlmRouter.Configuration;

/// <summary>
/// Reads typed values out of one TOML table for the binder, remembering which keys were read so the rest can
/// be reported as unknown. Every error names file:line:column of the value at fault.
/// </summary>
internal sealed class TomlSection
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<ConfigDiagnostic> _warnings;

    public TomlSection(TomlTable table, string name, string? file, List<ConfigDiagnostic> warnings)
    {
        Table = table;
        Name = name;
        File = file;
        _warnings = warnings;
    }

    public TomlTable Table { get; }

    /// <summary>How messages name this table, e.g. <c>[server]</c> or <c>[[providers]] #2</c>.</summary>
    public string Name { get; }

    public string? File { get; }

    public ConfigException Error(TomlPosition position, string reason) => new(File, position.Line, position.Column, reason);

    public ConfigException Error(string key, string reason) => Error(Table.GetKeyPosition(key), reason);

    public TomlValue? Value(string key)
    {
        _read.Add(key);
        return Table.TryGetValue(key, out var value) ? value : null;
    }

    public string? OptionalString(string key) => Value(key) switch
    {
        null => null,
        TomlScalar { Value: string s } => s,
        var other => throw WrongType(key, other, "a string"),
    };

    public string RequiredString(string key) =>
        OptionalString(key) is { Length: > 0 } value ? value : throw Missing(key, "a non-empty string");

    public bool Bool(string key, bool fallback) => Value(key) switch
    {
        null => fallback,
        TomlScalar { Value: bool b } => b,
        var other => throw WrongType(key, other, "true or false"),
    };

    public long? OptionalInteger(string key, long min, long max)
    {
        switch (Value(key))
        {
            case null:
                return null;
            case TomlScalar { Value: long i } when i >= min && i <= max:
                return i;
            case TomlScalar { Value: long i } value:
                throw Error(value.Position, $"'{key}' in {Name} must be between {min} and {max}, not {i}");
            case var other:
                throw WrongType(key, other, "an integer");
        }
    }

    public int? OptionalInt(string key, int min = int.MinValue, int max = int.MaxValue) => (int?)OptionalInteger(key, min, max);

    /// <summary>A number (integer or float) no smaller than <paramref name="min"/>.</summary>
    public double? OptionalNumber(string key, double min, bool exclusiveMin = false)
    {
        var value = Value(key);
        double number = value switch
        {
            null => double.NaN,
            TomlScalar { Value: long i } => i,
            TomlScalar { Value: double f } => f,
            var other => throw WrongType(key, other, "a number"),
        };
        if (value is null)
        {
            return null;
        }
        if (double.IsNaN(number) || double.IsInfinity(number) || number < min || (exclusiveMin && number <= min))
        {
            var bound = exclusiveMin ? $"greater than {min.ToString(CultureInfo.InvariantCulture)}" : $"at least {min.ToString(CultureInfo.InvariantCulture)}";
            throw Error(value.Position, $"'{key}' in {Name} must be a number {bound}, not {number.ToString(CultureInfo.InvariantCulture)}");
        }
        return number;
    }

    /// <summary>A number (integer or float) from <paramref name="min"/> to <paramref name="max"/>, both included.</summary>
    public double? OptionalNumber(string key, double min, double max)
    {
        var value = Value(key);
        double? number = value switch
        {
            null => null,
            TomlScalar { Value: long i } => i,
            TomlScalar { Value: double f } => f,
            var other => throw WrongType(key, other, "a number"),
        };
        if (number is { } given && !(given >= min && given <= max))
        {
            throw Error(value!.Position, string.Create(CultureInfo.InvariantCulture, $"'{key}' in {Name} must be a number from {min} to {max}, not {given}"));
        }
        return number;
    }

    public decimal Decimal(string key)
    {
        var value = OptionalNumber(key, 0);
        return value is null ? 0m : (decimal)value.Value;
    }

    public IReadOnlyList<string>? OptionalStringList(string key)
    {
        switch (Value(key))
        {
            case null:
                return null;
            case TomlArray array:
                var items = new List<string>(array.Count);
                foreach (var item in array)
                {
                    items.Add(item is TomlScalar { Value: string s } ? s : throw Error(item.Position, $"'{key}' in {Name} must be an array of strings; found {Describe(item)}"));
                }
                return items;
            case var other:
                throw WrongType(key, other, "an array of strings");
        }
    }

    public TomlSection? OptionalTable(string key, string name) => Value(key) switch
    {
        null => null,
        TomlTable table => new TomlSection(table, name, File, _warnings),
        var other => throw WrongType(key, other, "a table"),
    };

    /// <summary>An array of tables (<c>[[key]]</c>, or an array of inline tables), each as a section.</summary>
    public IReadOnlyList<TomlSection> TableArray(string key, string name)
    {
        switch (Value(key))
        {
            case null:
                return [];
            case TomlArray array:
                var sections = new List<TomlSection>(array.Count);
                for (var i = 0; i < array.Count; i++)
                {
                    sections.Add(array[i] is TomlTable table
                        ? new TomlSection(table, $"{name} #{i + 1}", File, _warnings)
                        : throw Error(array[i].Position, $"'{key}' must hold tables; item {i + 1} is {Describe(array[i])}"));
                }
                return sections;
            case var other:
                throw WrongType(key, other, "an array of tables");
        }
    }

    /// <summary>Reports every key of this table that no binder read, as a warning.</summary>
    public void WarnUnknownKeys()
    {
        foreach (var key in Table.Keys)
        {
            if (!_read.Contains(key))
            {
                var position = Table.GetKeyPosition(key);
                _warnings.Add(new ConfigDiagnostic(File, position.Line, position.Column, $"unknown key '{key}' in {Name} is ignored"));
            }
        }
    }

    public void Warn(string key, string message)
    {
        var position = Table.GetKeyPosition(key);
        _warnings.Add(new ConfigDiagnostic(File, position.Line, position.Column, message));
    }

    public ConfigException Missing(string key, string what)
    {
        var position = Table.TryGetKeyPosition(key, out var at) ? at : Table.Position;
        return Error(position, $"{Name} needs '{key}' ({what})");
    }

    private ConfigException WrongType(string key, TomlValue value, string expected) =>
        Error(value.Position, $"'{key}' in {Name} must be {expected}, not {Describe(value)}");

    internal static string Describe(TomlValue value) => value.Description;

    /// <summary>A TOML value as a plain .NET value (for free-form tables such as provider settings).</summary>
    internal static object? ToPlain(TomlValue value) => value switch
    {
        TomlArray a => a.Select(ToPlain).ToArray(),
        TomlTable t => t.ToDictionary(p => p.Key, p => ToPlain(p.Value), StringComparer.Ordinal),
        TomlScalar { Value: Tomlyn.TomlDateTime d } => d.ToString(),
        _ => ((TomlScalar)value).Value,
    };
}
