namespace LlmRouter.Configuration.Toml;

/// <summary>
/// Builds the document's table tree and enforces TOML's rules on defining and extending tables: a duplicate key or a
/// redefined table is refused naming both definitions.
/// </summary>
internal sealed class TomlTableTree(string? path)
{
    private int _lastSectionId;

    public TomlTable Root { get; } = new(new TomlPosition(1, 1), TableOrigin.Root, depth: 0);

    /// <summary>Starts a new scope for dotted keys: each header section and each inline table gets one.</summary>
    public int NewSectionId() => ++_lastSectionId;

    public void CheckDepth(int depth, TomlPosition position)
    {
        if (depth > TomlDocumentReader.MaxNestingDepth)
        {
            throw Error(position, $"nesting is too deep (more than {TomlDocumentReader.MaxNestingDepth} levels of tables and arrays)");
        }
    }

    /// <summary>Stores <c>key = value</c> written in <paramref name="target"/>'s section, creating dotted-key tables.</summary>
    public void AddKeyValue(TomlTable target, IReadOnlyList<TomlKeySegment> key, TomlValue value, int sectionId)
    {
        var table = target;
        for (var i = 0; i < key.Count - 1; i++)
        {
            table = EnterByDottedKey(table, key, i, sectionId);
        }

        var last = key[^1];
        if (table.TryGetKeyPosition(last.Name, out var first))
        {
            throw Error(last.Position, $"duplicate key '{TomlKeyText.Format(key)}' (first defined at {first})");
        }

        table.Add(last.Name, value, last.Position);
    }

    /// <summary>Returns the table for a <c>[key]</c> header.</summary>
    public TomlTable DefineTable(IReadOnlyList<TomlKeySegment> key, TomlPosition header)
    {
        var parent = WalkHeaderPath(key, header);
        var last = key[^1];
        if (!parent.TryGetValue(last.Name, out var existing))
        {
            CheckDepth(parent.Depth + 1, last.Position);
            var table = new TomlTable(header, TableOrigin.Header, parent.Depth + 1);
            parent.Add(last.Name, table, header);
            return table;
        }

        if (existing is TomlTable { Origin: TableOrigin.Implicit } implied)
        {
            // The header now defines a table that earlier headers only implied; point to the definition.
            implied.Origin = TableOrigin.Header;
            implied.Position = header;
            parent.SetKeyPosition(last.Name, header);
            return implied;
        }

        var path = TomlKeyText.Format(key);
        var first = parent.GetKeyPosition(last.Name);
        throw Error(last.Position, existing switch
        {
            TomlTable { Origin: TableOrigin.Header } => $"table '{path}' is already defined (first defined at {first})",
            TomlTable { Origin: TableOrigin.Dotted } => $"table '{path}' is already defined by dotted keys (first defined at {first})",
            TomlTable => $"table '{path}' is already defined as an inline table (first defined at {first})",
            TomlArray { IsArrayOfTables: true } => $"'{path}' is already an array of tables (first defined at {first}); use [[{path}]] to add an element",
            _ => $"duplicate key '{path}' (first defined at {first}): it is already {existing.Description}",
        });
    }

    /// <summary>Returns a new element table for a <c>[[key]]</c> header.</summary>
    public TomlTable AppendArrayTable(IReadOnlyList<TomlKeySegment> key, TomlPosition header)
    {
        var parent = WalkHeaderPath(key, header);
        var last = key[^1];
        TomlArray array;
        if (!parent.TryGetValue(last.Name, out var existing))
        {
            CheckDepth(parent.Depth + 1, last.Position);
            array = new TomlArray(header, parent.Depth + 1, isArrayOfTables: true);
            parent.Add(last.Name, array, header);
        }
        else if (existing is TomlArray { IsArrayOfTables: true } tables)
        {
            array = tables;
        }
        else
        {
            var path = TomlKeyText.Format(key);
            var first = parent.GetKeyPosition(last.Name);
            throw Error(last.Position, existing switch
            {
                TomlArray => $"cannot add to '{path}' with [[{path}]]: it is an array value (defined at {first}), not an array of tables",
                TomlTable => $"cannot define array of tables '{path}': a table with that name is already defined (first defined at {first})",
                _ => $"duplicate key '{path}' (first defined at {first}): it is already {existing.Description}",
            });
        }

        CheckDepth(array.Depth + 1, last.Position);
        var element = new TomlTable(header, TableOrigin.Header, array.Depth + 1);
        array.Add(element);
        return element;
    }

    /// <summary>Follows all but the last segment of a header key, creating implied tables and entering the latest element of arrays of tables.</summary>
    private TomlTable WalkHeaderPath(IReadOnlyList<TomlKeySegment> key, TomlPosition header)
    {
        var table = Root;
        for (var i = 0; i < key.Count - 1; i++)
        {
            var segment = key[i];
            if (!table.TryGetValue(segment.Name, out var existing))
            {
                CheckDepth(table.Depth + 1, segment.Position);
                var implied = new TomlTable(header, TableOrigin.Implicit, table.Depth + 1);
                table.Add(segment.Name, implied, header);
                table = implied;
                continue;
            }

            var path = TomlKeyText.Format(key, i + 1);
            var first = table.GetKeyPosition(segment.Name);
            table = existing switch
            {
                TomlTable { IsInline: false } child => child,
                TomlArray { IsArrayOfTables: true } tables => (TomlTable)tables[^1],
                TomlTable => throw Error(segment.Position, $"cannot extend inline table '{path}' (defined at {first}) with a table header"),
                TomlArray => throw Error(segment.Position, $"cannot use '{path}' as a table: it is an array value (defined at {first}), not an array of tables"),
                _ => throw Error(segment.Position, $"cannot use '{path}' as a table: it is already {existing.Description} (defined at {first})"),
            };
        }

        return table;
    }

    /// <summary>Returns (or creates) the table named by segment <paramref name="index"/> of a dotted key.</summary>
    private TomlTable EnterByDottedKey(TomlTable parent, IReadOnlyList<TomlKeySegment> key, int index, int sectionId)
    {
        var segment = key[index];
        if (!parent.TryGetValue(segment.Name, out var existing))
        {
            CheckDepth(parent.Depth + 1, segment.Position);
            var created = new TomlTable(segment.Position, TableOrigin.Dotted, parent.Depth + 1) { SectionId = sectionId, IsInline = parent.IsInline };
            parent.Add(segment.Name, created, segment.Position);
            return created;
        }

        var path = TomlKeyText.Format(key, index + 1);
        var first = parent.GetKeyPosition(segment.Name);
        if (existing is not TomlTable table)
        {
            throw Error(segment.Position, $"cannot use '{path}' as a table: it is already {existing.Description} (defined at {first})");
        }

        if (table.IsInline && table.Origin == TableOrigin.Inline)
        {
            throw Error(segment.Position, $"cannot add keys to inline table '{path}' (defined at {first}): inline tables cannot be extended");
        }

        switch (table.Origin)
        {
            case TableOrigin.Dotted when table.SectionId == sectionId:
                return table;
            case TableOrigin.Implicit:
                // Only implied by a deeper header so far; the dotted key defines it, closing it to later headers.
                table.Origin = TableOrigin.Dotted;
                table.SectionId = sectionId;
                return table;
            case TableOrigin.Header:
                throw Error(segment.Position, $"cannot add keys to table '{path}' with dotted keys: it was defined by the header at {first}");
            default:
                throw Error(segment.Position, $"cannot add keys to table '{path}' with dotted keys here: it was created at {first} in another section");
        }
    }

    private ConfigException Error(TomlPosition position, string reason) => new(path, position.Line, position.Column, reason);
}
