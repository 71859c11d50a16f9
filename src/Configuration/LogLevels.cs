using Microsoft.Extensions.Logging;

namespace LlmRouter.Configuration;

/// <summary>The seeds' log level names (DEBUG, INFO, WARNING, …, in any case) and the .NET log levels they mean.</summary>
public static class LogLevels
{
    /// <summary>The names to suggest; WARN, INFORMATION, FATAL and OFF are accepted too.</summary>
    public const string Names = "TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL, NONE";

    public static bool IsKnown(string name) => Find(name) is not null;

    /// <summary>The level a checked name means (configuration loading refuses unknown names).</summary>
    public static LogLevel Parse(string name) => Find(name) ?? throw new ArgumentException($"unknown log level '{name}' (use {Names})", nameof(name));

    private static LogLevel? Find(string name) => name.Trim().ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" or "INFORMATION" => LogLevel.Information,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "CRITICAL" or "FATAL" => LogLevel.Critical,
        "NONE" or "OFF" => LogLevel.None,
        _ => null,
    };
}
