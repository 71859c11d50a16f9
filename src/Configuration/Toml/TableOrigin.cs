namespace LlmRouter.Configuration.Toml;

/// <summary>How a table was created, which decides whether a later header or dotted key may define or extend it.</summary>
internal enum TableOrigin
{
    /// <summary>The document root.</summary>
    Root,

    /// <summary>Created only as a parent of a header such as <c>[a.b.c]</c>; may still be defined once.</summary>
    Implicit,

    /// <summary>Defined by its own <c>[header]</c> or as an element of <c>[[header]]</c>.</summary>
    Header,

    /// <summary>Created by a dotted key; only dotted keys of the same section may add to it.</summary>
    Dotted,

    /// <summary>An inline table; complete once its closing brace is read.</summary>
    Inline,
}
