namespace LlmRouter.Configuration;

/// <summary>A warning about the configuration (an unknown key, an unset variable), with where it stands.</summary>
public sealed record ConfigDiagnostic(string? File, int Line, int Column, string Message)
{
    public override string ToString() => Format(File, Line, Column, Message);

    internal static string Format(string? file, int line, int column, string message) =>
        line <= 0 ? (file is null ? message : $"{file}: {message}")
        : file is null ? $"{line}:{column}: {message}"
        : $"{file}:{line}:{column}: {message}";
}
