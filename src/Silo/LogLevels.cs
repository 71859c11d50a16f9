namespace LlmRouter.Silo;

/// <summary>Maps the seeds' log level names (DEBUG, INFO, WARNING, …) onto .NET log levels.</summary>
internal static class LogLevels
{
    public static LogLevel Parse(string name) => name.Trim().ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" or "INFORMATION" => LogLevel.Information,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "CRITICAL" or "FATAL" => LogLevel.Critical,
        "NONE" or "OFF" => LogLevel.None,
        _ => LogLevel.Information,
    };
}
