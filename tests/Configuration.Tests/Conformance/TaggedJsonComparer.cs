using System.Globalization;
using System.Text.Json;

namespace LlmRouter.Configuration.Tests.Conformance;

/// <summary>Compares toml-test tagged JSON semantically, following the rules in the toml-test README.</summary>
internal static class TaggedJsonComparer
{
    /// <summary>Returns a description of the first difference, or null when the documents match.</summary>
    public static string? FindDifference(JsonElement expected, JsonElement actual, string path = "$")
    {
        if (IsScalar(expected))
        {
            return IsScalar(actual)
                ? CompareScalars(expected, actual, path)
                : $"{path}: expected a {expected.GetProperty("type").GetString()} scalar, got {actual}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                if (actual.ValueKind != JsonValueKind.Object || IsScalar(actual))
                {
                    return $"{path}: expected a table, got {actual}";
                }

                var expectedKeys = expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                var actualKeys = actual.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                if (!expectedKeys.SequenceEqual(actualKeys))
                {
                    return $"{path}: expected keys [{string.Join(", ", expectedKeys)}], got [{string.Join(", ", actualKeys)}]";
                }

                return expectedKeys
                    .Select(key => FindDifference(expected.GetProperty(key), actual.GetProperty(key), $"{path}.{key}"))
                    .FirstOrDefault(difference => difference is not null);
            case JsonValueKind.Array:
                if (actual.ValueKind != JsonValueKind.Array || actual.GetArrayLength() != expected.GetArrayLength())
                {
                    return $"{path}: expected an array of {expected.GetArrayLength()}, got {actual}";
                }

                return expected.EnumerateArray().Zip(actual.EnumerateArray())
                    .Select((pair, index) => FindDifference(pair.First, pair.Second, $"{path}[{index}]"))
                    .FirstOrDefault(difference => difference is not null);
            default:
                return $"{path}: the expected file holds {expected.ValueKind}, which tagged JSON never uses";
        }
    }

    private static bool IsScalar(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.EnumerateObject().Count() == 2
        && element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
        && element.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String;

    private static string? CompareScalars(JsonElement expected, JsonElement actual, string path)
    {
        var type = expected.GetProperty("type").GetString()!;
        var actualType = actual.GetProperty("type").GetString()!;
        var want = expected.GetProperty("value").GetString()!;
        var got = actual.GetProperty("value").GetString()!;
        if (type != actualType)
        {
            return $"{path}: expected type {type}, got {actualType} ({got})";
        }

        var equal = type switch
        {
            "string" => want == got,
            "integer" => long.Parse(want, CultureInfo.InvariantCulture) == long.Parse(got, CultureInfo.InvariantCulture),
            "bool" => string.Equals(want, got, StringComparison.OrdinalIgnoreCase),
            "float" => FloatsEqual(ParseFloat(want), ParseFloat(got)),
            "datetime" => DateTimeOffset.Parse(Normalize(want), CultureInfo.InvariantCulture) == DateTimeOffset.Parse(Normalize(got), CultureInfo.InvariantCulture),
            "datetime-local" => DateTime.Parse(Normalize(want), CultureInfo.InvariantCulture) == DateTime.Parse(Normalize(got), CultureInfo.InvariantCulture),
            "date-local" => DateOnly.Parse(want, CultureInfo.InvariantCulture) == DateOnly.Parse(got, CultureInfo.InvariantCulture),
            "time-local" => TimeOnly.Parse(Normalize(want), CultureInfo.InvariantCulture) == TimeOnly.Parse(Normalize(got), CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"{path}: unknown tagged JSON type '{type}'"),
        };
        return equal ? null : $"{path}: expected {type} {want}, got {got}";
    }

    private static double ParseFloat(string text) => text switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "+nan" or "-nan" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    // NaN equals NaN whatever its sign; -0.0 == 0.0 already holds numerically.
    private static bool FloatsEqual(double a, double b) => (double.IsNaN(a) && double.IsNaN(b)) || a == b;

    /// <summary>Uppercases the T/Z separators and truncates fractions to 7 digits (100 ns), which the BCL parsers accept.</summary>
    private static string Normalize(string value)
    {
        var text = value.Replace('t', 'T').Replace('z', 'Z');
        if (text.Length > 10 && text[10] == ' ')
        {
            text = string.Concat(text.AsSpan(0, 10), "T", text.AsSpan(11));
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return text;
        }

        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        return end - dot - 1 <= 7 ? text : string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
    }
}
