namespace LlmRouter.Configuration;

/// <summary>A configuration that cannot be used, located as file:line:column (or naming the variable at fault).</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string? file, int line, int column, string reason)
        : this([new ConfigDiagnostic(file, line, column, reason)])
    {
    }

    /// <summary>Several problems found at once (a TOML file with more than one error), one per line, the first first.</summary>
    public ConfigException(IReadOnlyList<ConfigDiagnostic> problems)
        : base(string.Join('\n', problems))
    {
        var first = problems[0];
        File = first.File;
        Line = first.Line;
        Column = first.Column;
        Reason = first.Message;
        Problems = problems;
    }

    public ConfigException()
        : this(null, 0, 0, "invalid configuration")
    {
    }

    public ConfigException(string message)
        : this(null, 0, 0, message)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
        Problems = [new ConfigDiagnostic(null, 0, 0, message)];
    }

    public string? File { get; }
    public int Line { get; }
    public int Column { get; }
    public string Reason { get; } = "";

    /// <summary>Every problem reported, the one named by <see cref="Line"/> and <see cref="Column"/> first.</summary>
    public IReadOnlyList<ConfigDiagnostic> Problems { get; }
}
