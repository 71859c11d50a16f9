using LlmRouter.Toml.Parsing;

namespace LlmRouter.Toml;

/// <summary>Parses TOML 1.0.0 documents.</summary>
public static class TomlParser
{
    /// <summary>The deepest nesting of tables and arrays accepted; deeper documents fail with a <see cref="TomlException"/> instead of exhausting the stack.</summary>
    public const int MaxNestingDepth = 1000;

    /// <summary>Parses a document held as text.</summary>
    /// <param name="text">The document; a leading byte order mark is ignored.</param>
    /// <param name="source">A name for the document (such as its file path) used in error messages.</param>
    /// <exception cref="TomlException">The text is not valid TOML 1.0.0.</exception>
    public static TomlTable Parse(string text, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new DocumentReader(SourceInput.FromString(text, source), source).Read();
    }

    /// <summary>Parses a document held as UTF-8 bytes, rejecting invalid UTF-8.</summary>
    /// <param name="utf8">The document; a leading UTF-8 byte order mark is ignored.</param>
    /// <param name="source">A name for the document (such as its file path) used in error messages.</param>
    /// <exception cref="TomlException">The bytes are not valid UTF-8 or not valid TOML 1.0.0.</exception>
    public static TomlTable Parse(ReadOnlySpan<byte> utf8, string? source = null) =>
        new DocumentReader(SourceInput.FromUtf8(utf8, source), source).Read();
}
