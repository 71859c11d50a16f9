using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace LlmRouter.Configuration.Toml;

/// <summary>A TOML array: an inline <c>[ ... ]</c> value or the elements of <c>[[name]]</c> headers.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "TOML's own term.")]
public sealed class TomlArray : TomlValue, IReadOnlyList<TomlValue>
{
    private readonly List<TomlValue> _items = [];

    internal TomlArray(TomlPosition position, int depth, bool isArrayOfTables)
        : base(position)
    {
        Depth = depth;
        IsArrayOfTables = isArrayOfTables;
    }

    /// <summary>True when the array was built from <c>[[name]]</c> headers rather than written inline.</summary>
    public bool IsArrayOfTables { get; }

    public int Count => _items.Count;

    /// <summary>Nesting level below the document, bounded so that hostile input cannot exhaust the stack.</summary>
    internal int Depth { get; }

    public TomlValue this[int index] => _items[index];

    public IEnumerator<TomlValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(TomlValue value) => _items.Add(value);
}
