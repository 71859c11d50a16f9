using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter.LocalModels.Native;

/// <summary>
/// Receives llama.cpp's and ggml's log (pieces of lines, from any thread) and writes whole lines to an ILogger.
/// llama.cpp's INFO is chatty (every tensor and setting on load), so it goes to Debug.
/// </summary>
internal static unsafe partial class LlamaLog
{
    private const int LevelDebug = 1;
    private const int LevelInfo = 2;
    private const int LevelWarn = 3;
    private const int LevelError = 4;
    private const int LevelContinue = 5;
    private const int MaxLine = 4096;

    private static readonly Lock Gate = new();
    private static readonly StringBuilder Line = new();
    private static ILogger _logger = NullLogger.Instance;
    private static int _level = LevelInfo;

    public static void Attach(ILogger logger) => _logger = logger;

    [UnmanagedCallersOnly]
    public static void OnMessage(int level, byte* text, nint userData)
    {
        // An exception must not unwind into native code: it would take the process down.
        try
        {
            Append(level, Marshal.PtrToStringUTF8((nint)text));
        }
        catch (Exception)
        {
            // Losing a log line is the lesser evil.
        }
    }

    private static void Append(int level, string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return;
        }
        lock (Gate)
        {
            if (level != LevelContinue)
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

    private static void Write(int level, string line)
    {
        if (line.Length == 0)
        {
            return;
        }
        switch (level)
        {
            case LevelError:
                LogError(_logger, line);
                break;
            case LevelWarn:
                LogWarning(_logger, line);
                break;
            case LevelDebug:
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
