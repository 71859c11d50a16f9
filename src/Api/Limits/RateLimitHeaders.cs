using System.Globalization;
using System.Text;
using LlmRouter.Abstractions.Grains;

namespace LlmRouter.Api.Limits;

/// <summary>OpenAI's <c>x-ratelimit-*</c> headers, written on every response a window applies to (admitted or refused).</summary>
public static class RateLimitHeaders
{
    public static void Write(HttpResponse response, Admission admission)
    {
        var headers = response.Headers;
        if (admission.Requests is { } requests)
        {
            Write(headers, "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests", requests);
        }
        if (admission.Tokens is { } tokens)
        {
            Write(headers, "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens", tokens);
        }
    }

    /// <summary>A duration the way OpenAI writes it: <c>12ms</c>, <c>1s</c>, <c>6m0s</c>, <c>1h30m0s</c>.</summary>
    public static string Duration(TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1))
        {
            return ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
        }
        var text = new StringBuilder();
        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            text.Append(hours).Append('h');
        }
        if (hours > 0 || value.Minutes > 0)
        {
            text.Append(value.Minutes).Append('m');
        }
        var seconds = Math.Round(value.Seconds + value.Milliseconds / 1000.0, 3);
        return text.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s').ToString();
    }

    private static void Write(IHeaderDictionary headers, string limit, string remaining, string reset, LimitStatus status)
    {
        headers[limit] = status.Limit.ToString(CultureInfo.InvariantCulture);
        headers[remaining] = status.Remaining.ToString(CultureInfo.InvariantCulture);
        headers[reset] = Duration(status.ResetAfter);
    }
}
