namespace LlmRouter.Configuration;

/// <summary>
/// The names one kind of section defines, each with the section that defined it first: a second definition is an
/// error that points at the first.
/// </summary>
internal sealed class DefinedNames(string kind)
{
    private readonly Dictionary<string, TomlSection> _first = new(StringComparer.Ordinal);

    /// <summary>The names <paramref name="sections"/> define, in order (<paramref name="names"/>[i] by <paramref name="sections"/>[i]).</summary>
    public static DefinedNames Of(string kind, IEnumerable<string> names, IReadOnlyList<TomlSection> sections)
    {
        var defined = new DefinedNames(kind);
        var i = 0;
        foreach (var name in names)
        {
            defined.Add(name, sections[i++]);
        }
        return defined;
    }

    /// <summary>Records <paramref name="name"/> as defined by <paramref name="section"/>; throws when it was defined before.</summary>
    public void Add(string name, TomlSection section)
    {
        if (_first.TryGetValue(name, out var first))
        {
            var at = first.Table.GetKeyPosition("name");
            throw section.Error("name", $"{kind} '{name}' is defined twice (first at {at.Line}:{at.Column})");
        }
        _first[name] = section;
    }

    public bool Contains(string name) => _first.ContainsKey(name);
}
