using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace LlmRouter.Configuration.Toml;

/// <summary>
/// Reads a TOML 1.1 document (1.0 documents read the same): strict UTF-8, Tomlyn's syntax parser, then tables of
/// positioned values built under TOML's rules for defining tables.
/// </summary>
public static class TomlDocumentReader
{
    /// <summary>
    /// The deepest nesting of tables and arrays accepted, so that hostile input cannot exhaust the stack of what
    /// reads the tree (Tomlyn bounds arrays and inline tables by themselves at 64; headers and dotted keys it does not).
    /// </summary>
    public const int MaxNestingDepth = 1000;

    /// <summary>Reads <paramref name="utf8"/>; Tomlyn's warnings, if any, are added to <paramref name="warnings"/>.</summary>
    /// <exception cref="ConfigException">The document is not valid: every error, each as file:line:column.</exception>
    public static TomlTable Read(ReadOnlySpan<byte> utf8, string? path, List<ConfigDiagnostic> warnings)
    {
        var text = Utf8Source.Decode(utf8, path);
        DocumentSyntax document;
        try
        {
            // Not Tomlyn's validation: in 2.11.1 it files a [a.b] header under the next [[a]] element, so it refuses
            // valid files ([[a]] [a.b] [[a]] b = {...}) and accepts invalid ones ([[a]] b = 1 [a.b]).
            // TomlTableTree applies the table rules instead, and names both definitions of a redefined key.
            document = SyntaxParser.Parse(text, path, validate: false);
        }
        catch (TomlException exception)
        {
            // Tomlyn throws, with no position, rather than reports when arrays and inline tables nest deeper than its
            // limit (64).
            var at = WhereParsingThrows(text);
            throw new ConfigException(path, at.Line, at.Column, exception.Message);
        }
        var diagnostics = document.Diagnostics
            .OrderBy(d => d.Span.Start.Offset)
            .Select(d => Positioned(d, path))
            .ToList();
        if (document.HasErrors)
        {
            throw new ConfigException(diagnostics);
        }
        warnings.AddRange(diagnostics);
        return new TomlTreeBuilder(path).Build(document);
    }

    /// <summary>
    /// Where the parser throws: it reads left to right, so the shortest start of the text that still throws ends at
    /// the bracket that went too deep.
    /// </summary>
    private static TomlPosition WhereParsingThrows(string text)
    {
        var (throws, passes) = (text.Length, 0);
        while (throws - passes > 1)
        {
            var middle = passes + ((throws - passes) / 2);
            try
            {
                SyntaxParser.Parse(text[..middle], validate: false);
                passes = middle;
            }
            catch (TomlException)
            {
                throws = middle;
            }
        }
        return LineColumn.After(text.AsSpan(0, throws - 1));
    }

    private static ConfigDiagnostic Positioned(DiagnosticMessage diagnostic, string? path)
    {
        var at = TomlTreeBuilder.PositionOf(diagnostic.Span);
        return new ConfigDiagnostic(path, at.Line, at.Column, diagnostic.Message);
    }
}
