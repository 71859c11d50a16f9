using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace LlmRouter.Configuration.Toml;

/// <summary>A TOML table (the document, a header's table, a dotted-key table or an inline table); keys keep their order.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "TOML's own term.")]
public sealed class TomlTable : TomlValue, IReadOnlyDictionary<string, TomlValue>
{
    private readonly OrderedDictionary<string, TomlValue> _items = new(StringComparer.Ordinal);

    // Parallel to _items by index: entries are never removed, so indexes stay stable.
    private readonly List<TomlPosition> _keyPositions = [];

    internal TomlTable(TomlPosition position, TableOrigin origin, int depth)
        : base(position)
    {
        Origin = origin;
        Depth = depth;
    }

    public int Count => _items.Count;

    /// <summary>How the table came into existence; decides whether a later header or dotted key may define or extend it.</summary>
    internal TableOrigin Origin { get; set; }

    /// <summary>The header section (or inline table) whose dotted keys created this table.</summary>
    internal int SectionId { get; set; }

    /// <summary>True for an inline table and the dotted-key tables written inside one: none can be extended later.</summary>
    internal bool IsInline { get; init; }

    /// <summary>Nesting level below the document, bounded so that hostile input cannot exhaust the stack.</summary>
    internal int Depth { get; }

    public IEnumerable<string> Keys => _items.Keys;

    public IEnumerable<TomlValue> Values => _items.Values;

    public TomlValue this[string key] => _items[key];

    public bool ContainsKey(string key) => _items.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TomlValue value) => _items.TryGetValue(key, out value);

    /// <summary>Where <paramref name="key"/> was written; for a table defined by a header, the header's position.</summary>
    /// <exception cref="KeyNotFoundException">The table has no such key.</exception>
    public TomlPosition GetKeyPosition(string key) =>
        TryGetKeyPosition(key, out var position) ? position : throw new KeyNotFoundException($"The table has no key '{key}'.");

    public bool TryGetKeyPosition(string key, out TomlPosition position)
    {
        var index = _items.IndexOf(key);
        position = index < 0 ? default : _keyPositions[index];
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, TomlValue>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(string key, TomlValue value, TomlPosition keyPosition)
    {
        _items.Add(key, value);
        _keyPositions.Add(keyPosition);
    }

    internal void SetKeyPosition(string key, TomlPosition keyPosition) => _keyPositions[_items.IndexOf(key)] = keyPosition;
}
