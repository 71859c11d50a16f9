using Tomlyn.Syntax;

namespace LlmRouter.Configuration.Toml;

/// <summary>Turns the syntax tree Tomlyn parsed into tables of positioned values, through <see cref="TomlTableTree"/>'s rules.</summary>
internal sealed class TomlTreeBuilder(string? path)
{
    private readonly TomlTableTree _tree = new(path);

    public TomlTable Build(DocumentSyntax document)
    {
        foreach (var pair in document.KeyValues)
        {
            AddPair(_tree.Root, pair, sectionId: 0);
        }
        foreach (var header in document.Tables)
        {
            var key = Segments(header.Name!);
            var at = PositionOf(header);
            var table = header is TableArraySyntax ? _tree.AppendArrayTable(key, at) : _tree.DefineTable(key, at);
            var sectionId = _tree.NewSectionId();
            foreach (var pair in header.Items)
            {
                AddPair(table, pair, sectionId);
            }
        }
        return _tree.Root;
    }

    /// <summary>Tomlyn's spans count lines and columns from 0; messages count from 1.</summary>
    public static TomlPosition PositionOf(SourceSpan span) => new(span.Start.Line + 1, span.Start.Column + 1);

    private static TomlPosition PositionOf(SyntaxNodeBase node) => PositionOf(node.Span);

    private void AddPair(TomlTable target, KeyValueSyntax pair, int sectionId)
    {
        var key = Segments(pair.Key!);
        _tree.AddKeyValue(target, key, Convert(pair.Value!, target.Depth + key.Count), sectionId);
    }

    /// <summary>Converts a value; <paramref name="depth"/> is the nesting level it gets if it is an array or a table.</summary>
    private TomlValue Convert(ValueSyntax value, int depth)
    {
        var at = PositionOf(value);
        switch (value)
        {
            case ArraySyntax array:
                _tree.CheckDepth(depth, at);
                var items = new TomlArray(at, depth, isArrayOfTables: false);
                foreach (var item in array.Items)
                {
                    items.Add(Convert(item.Value!, depth + 1));
                }
                return items;
            case InlineTableSyntax inline:
                _tree.CheckDepth(depth, at);
                var table = new TomlTable(at, TableOrigin.Inline, depth) { IsInline = true };
                var sectionId = _tree.NewSectionId();
                foreach (var item in inline.Items)
                {
                    AddPair(table, item.KeyValue!, sectionId);
                }
                return table;
            case StringValueSyntax s:
                return new TomlScalar(s.Value!, at);
            case IntegerValueSyntax i:
                return new TomlScalar(i.Value, at);
            case FloatValueSyntax f:
                return new TomlScalar(f.Value, at);
            case BooleanValueSyntax b:
                return new TomlScalar(b.Value, at);
            default:
                return new TomlScalar(((DateTimeValueSyntax)value).Value, at);
        }
    }

    private static List<TomlKeySegment> Segments(KeySyntax key)
    {
        var segments = new List<TomlKeySegment>(key.DotKeys.ChildrenCount + 1) { Segment(key.Key!) };
        foreach (var dotted in key.DotKeys)
        {
            segments.Add(Segment(dotted.Key!));
        }
        return segments;
    }

    private static TomlKeySegment Segment(BareKeyOrStringValueSyntax key) =>
        new(key is BareKeySyntax bare ? bare.Key!.Text! : ((StringValueSyntax)key).Value!, PositionOf(key));
}
