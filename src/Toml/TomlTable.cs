using System.Collections;
using System.Diagnostics.CodeAnalysis;
using LlmRouter.Toml.Parsing;

namespace LlmRouter.Toml;

/// <summary>A TOML table (the document root, a <c>[header]</c> table, a dotted-key table or an inline table); keys keep insertion order.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "TOML's own term; the name is part of the public contract.")]
public sealed class TomlTable : TomlValue, IReadOnlyDictionary<string, TomlValue>
{
    private readonly OrderedDictionary<string, TomlValue> _items = new(StringComparer.Ordinal);

    // Parallel to _items by index: entries are never removed, so indexes stay stable.
    private readonly List<TomlPosition> _keyPositions = [];

    internal TomlTable(TomlPosition position, TableOrigin origin, int depth, bool isInline)
        : base(position)
    {
        Origin = origin;
        Depth = depth;
        IsInline = isInline;
    }

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.Table;

    /// <summary>True for an inline table <c>{ ... }</c> and for the dotted-key tables written inside one.</summary>
    public bool IsInline { get; }

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _items.Keys;

    /// <inheritdoc />
    public IEnumerable<TomlValue> Values => _items.Values;

    /// <summary>How the table came into existence; drives the redefinition rules.</summary>
    internal TableOrigin Origin { get; set; }

    /// <summary>The header section (or inline table) whose dotted keys created this table.</summary>
    internal int SectionId { get; set; }

    /// <summary>Nesting level below the root table, used to enforce the parser's depth limit.</summary>
    internal int Depth { get; }

    /// <inheritdoc />
    public TomlValue this[string key] => _items[key];

    /// <inheritdoc />
    public bool ContainsKey(string key) => _items.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TomlValue value) => _items.TryGetValue(key, out value);

    /// <summary>Where <paramref name="key"/> was written; for a table defined by a <c>[header]</c> or <c>[[header]]</c>, the header's position.</summary>
    /// <exception cref="KeyNotFoundException">The table has no such key.</exception>
    public TomlPosition GetKeyPosition(string key) =>
        TryGetKeyPosition(key, out var position)
            ? position
            : throw new KeyNotFoundException($"The table has no key '{key}'.");

    /// <summary>Gets where <paramref name="key"/> was written, if the table has that key.</summary>
    public bool TryGetKeyPosition(string key, out TomlPosition position)
    {
        var index = _items.IndexOf(key);
        position = index < 0 ? default : _keyPositions[index];
        return index >= 0;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, TomlValue>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(string key, TomlValue value, TomlPosition keyPosition)
    {
        _items.Add(key, value);
        _keyPositions.Add(keyPosition);
    }

    internal void SetKeyPosition(string key, TomlPosition keyPosition) => _keyPositions[_items.IndexOf(key)] = keyPosition;
}
