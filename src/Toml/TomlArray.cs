using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace LlmRouter.Toml;

/// <summary>A TOML array: an inline <c>[ ... ]</c> value or an array of tables built from <c>[[name]]</c> headers.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "TOML's own term; the name is part of the public contract.")]
public sealed class TomlArray : TomlValue, IReadOnlyList<TomlValue>
{
    private readonly List<TomlValue> _items = [];

    internal TomlArray(TomlPosition position, int depth, bool isArrayOfTables)
        : base(position)
    {
        Depth = depth;
        IsArrayOfTables = isArrayOfTables;
    }

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.Array;

    /// <summary>True when the array was built from <c>[[name]]</c> headers rather than written inline.</summary>
    public bool IsArrayOfTables { get; }

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <summary>Nesting level below the root table, used to enforce the parser's depth limit.</summary>
    internal int Depth { get; }

    /// <inheritdoc />
    public TomlValue this[int index] => _items[index];

    /// <inheritdoc />
    public IEnumerator<TomlValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(TomlValue value) => _items.Add(value);
}
