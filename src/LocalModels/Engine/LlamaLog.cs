using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// Receives llama.cpp's and ggml's log through LLamaSharp (pieces of lines, from any thread) and writes whole lines
/// to an ILogger. llama.cpp's INFO is chatty (every tensor and setting on load), so it goes to Debug.
/// </summary>
internal static partial class LlamaLog
{
    private const int MaxLine = 4096;

    private static readonly Lock Gate = new();
    private static readonly StringBuilder Line = new();
    private static ILogger _logger = NullLogger.Instance;
    private static LLamaLogLevel _level = LLamaLogLevel.Info;

    public static void Attach(ILogger logger) => _logger = logger;

    /// <summary>LLamaSharp's log callback; it must never throw back into native code.</summary>
    public static void OnMessage(LLamaLogLevel level, string message)
    {
        try
        {
            Append(level, message);
        }
        catch (Exception)
        {
            // Losing a log line is the lesser evil.
        }
    }

    private static void Append(LLamaLogLevel level, string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return;
        }
        lock (Gate)
        {
            if (level != LLamaLogLevel.Continue)
            {
                _level = level;
            }
            Line.Append(message);
            while (true)
            {
                var buffered = Line.ToString();
                var newline = buffered.IndexOf('\n', StringComparison.Ordinal);
                if (newline < 0)
                {
                    break;
                }
                Write(_level, buffered[..newline]);
                Line.Remove(0, newline + 1);
            }
            if (Line.Length > MaxLine)
            {
                Write(_level, Line.ToString());
                Line.Clear();
            }
        }
    }

    private static void Write(LLamaLogLevel level, string line)
    {
        if (line.Length == 0)
        {
            return;
        }
        switch (level)
        {
            case LLamaLogLevel.Error:
                LogError(_logger, line);
                break;
            case LLamaLogLevel.Warning:
                LogWarning(_logger, line);
                break;
            case LLamaLogLevel.Debug:
                LogTrace(_logger, line);
                break;
            default:
                LogDebug(_logger, line);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Line}")]
    private static partial void LogError(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Line}")]
    private static partial void LogWarning(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Line}")]
    private static partial void LogDebug(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Trace, Message = "{Line}")]
    private static partial void LogTrace(ILogger logger, string line);
}
