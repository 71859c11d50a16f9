using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LlmRouter.LocalModels.Tests;

/// <summary>An ILoggerProvider that keeps every line written through it.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Lines.Enqueue((category, logLevel, formatter(state, exception)));
    }
}
