namespace LlmRouter.Configuration;

/// <summary>A configuration that cannot be used, located as file:line:column (or naming the variable at fault).</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string? file, int line, int column, string reason)
        : base(ConfigDiagnostic.Format(file, line, column, reason))
    {
        File = file;
        Line = line;
        Column = column;
        Reason = reason;
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
    }

    public string? File { get; }
    public int Line { get; }
    public int Column { get; }
    public string Reason { get; } = "";
}
