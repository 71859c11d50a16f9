using System.Globalization;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Monitoring;

/// <summary>Reads typed query-string parameters, keeping the first problem as an OpenAI-shaped 400.</summary>
internal sealed class QueryReader(IQueryCollection query)
{
    // Unix seconds accepted for times: up to the year 9999.
    private const long MaxUnixSeconds = 253_402_300_799;

    public ApiError? Error { get; private set; }

    public string? Text(string name) => query[name] is { Count: > 0 } values && !string.IsNullOrEmpty(values[^1]) ? values[^1] : null;

    public int Int(string name, int fallback, int min, int max) => (int)(Long(name, min, max) ?? fallback);

    /// <summary>An optional integer from <paramref name="min"/> to <paramref name="max"/>; null when absent.</summary>
    public long? Long(string name, long min, long max)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        Fail(name, $"'{name}' must be an integer from {min} to {max}.");
        return null;
    }

    /// <summary>An ISO 8601 time (UTC unless it names an offset; a bare date is midnight UTC) or Unix seconds.</summary>
    public DateTimeOffset? Time(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        if (text.All(char.IsAsciiDigit))
        {
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= MaxUnixSeconds)
            {
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
        }
        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }
        Fail(name, $"'{name}' must be an ISO 8601 time such as 2025-01-31T12:00:00Z, a date, or Unix seconds.");
        return null;
    }

    public InvocationStatus? Status(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        if (InvocationStatusNames.TryParse(text, out var status))
        {
            return status;
        }
        Fail(name, $"'{name}' must be one of {InvocationStatusNames.Success}, {InvocationStatusNames.Error}, {InvocationStatusNames.ClientClosed}, {InvocationStatusNames.Rejected}.");
        return null;
    }

    /// <summary>One of a fixed set of names; the fallback when absent.</summary>
    public T Choice<T>(string name, T fallback, IReadOnlyDictionary<string, T> choices)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }
        if (choices.TryGetValue(text, out var value))
        {
            return value;
        }
        Fail(name, $"'{name}' must be one of {string.Join(", ", choices.Keys)}.");
        return fallback;
    }

    /// <summary>Records a problem found by the caller (the first one wins).</summary>
    public void Fail(string name, string message) => Error ??= ApiErrors.Invalid(name, message);
}
