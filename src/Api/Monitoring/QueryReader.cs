using System.Globalization;
using LlmRouter.Abstractions;
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
    public long? Long(string name, long min, long max) => Read<long>(
        name,
        text => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null,
        $"'{name}' must be an integer from {min} to {max}.");

    /// <summary>An ISO 8601 time (UTC unless it names an offset; a bare date is midnight UTC) or Unix seconds.</summary>
    public DateTimeOffset? Time(string name) => Read<DateTimeOffset>(
        name,
        ParseTime,
        $"'{name}' must be an ISO 8601 time such as 2025-01-31T12:00:00Z, a date, or Unix seconds.");

    public InvocationStatus? Status(string name) => Read<InvocationStatus>(
        name,
        text => InvocationStatusNames.TryParse(text, out var status) ? status : null,
        $"'{name}' must be one of {string.Join(", ", WireNames<InvocationStatus>.All)}.");

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

    /// <summary>The parameter read by <paramref name="parse"/>; null when absent, or when it does not parse (then <paramref name="problem"/> is recorded).</summary>
    private T? Read<T>(string name, Func<string, T?> parse, string problem)
        where T : struct
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        if (parse(text) is { } value)
        {
            return value;
        }
        Fail(name, problem);
        return null;
    }

    private static DateTimeOffset? ParseTime(string text)
    {
        if (text.All(char.IsAsciiDigit))
        {
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= MaxUnixSeconds
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }
}
