using System.Collections.Frozen;
using System.Text.Json;

namespace LlmRouter.Abstractions;

/// <summary>
/// The names the values of a closed set (an enum) have wherever the router writes or reads them as text: JSON, query
/// strings, stored rows, metric labels and logs. A value's name is its member name in snake_case
/// (<c>ClientClosed</c> is <c>client_closed</c>), so a set is declared once, as its enum.
/// </summary>
public static class WireNames<TValue>
    where TValue : struct, Enum
{
    private static readonly FrozenDictionary<TValue, string> Names =
        Enum.GetValues<TValue>().ToFrozenDictionary(value => value, value => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));

    private static readonly FrozenDictionary<string, TValue> Values =
        Names.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>Every name, in the enum's order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<TValue>().Select(value => Names[value])];

    /// <summary>The name of <paramref name="value"/>; a value the enum does not declare has none.</summary>
    public static string Of(TValue value) =>
        Names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, null);

    /// <summary>The value named <paramref name="name"/> (matched exactly); false for any other text.</summary>
    public static bool TryParse(string? name, out TValue value)
    {
        value = default;
        return name is not null && Values.TryGetValue(name, out value);
    }
}
