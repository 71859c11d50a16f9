namespace LlmRouter.Toml;

/// <summary>Thrown by <see cref="TomlParser"/> when a document is not valid TOML 1.0.0.</summary>
public sealed class TomlException : Exception
{
    private readonly string? _sourceName;

    internal TomlException(string? sourceName, int line, int column, string reason)
        : base(FormatMessage(sourceName, line, column, reason))
    {
        _sourceName = sourceName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The document's name as passed to <see cref="TomlParser"/> (usually a file path), or null.</summary>
    /// <remarks>Overrides <see cref="Exception.Source"/> so the document name is what callers see either way.</remarks>
    public override string? Source => _sourceName;

    /// <summary>1-based line of the error.</summary>
    public int Line { get; }

    /// <summary>1-based column of the error, counted in Unicode scalar values.</summary>
    public int Column { get; }

    /// <summary>The error description without the location prefix.</summary>
    public string Reason { get; }

    /// <summary>The error location as a position.</summary>
    public TomlPosition Position => new(Line, Column);

    private static string FormatMessage(string? sourceName, int line, int column, string reason) =>
        sourceName is null ? $"{line}:{column}: {reason}" : $"{sourceName}:{line}:{column}: {reason}";
}
