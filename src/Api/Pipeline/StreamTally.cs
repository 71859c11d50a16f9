using System.Text;
using LlmRouter.Api.Chat;

namespace LlmRouter.Api.Pipeline;

/// <summary>What a relayed stream has given the client so far: usage reported, time to first token, and the answer's text (kept up to what the log keeps).</summary>
public sealed class StreamTally(long keptCharacters)
{
    private readonly StringBuilder _text = new();
    private int _contentChunks;

    public TokenUsage Usage { get; private set; }

    public long? TimeToFirstTokenMs { get; private set; }

    /// <summary>The answer's text as the log keeps it.</summary>
    public string Text => _text.ToString();

    /// <summary>Takes in a chunk about to be relayed, <paramref name="elapsedMs"/> after the try started.</summary>
    public void Observe(ChatStreamChunk chunk, long elapsedMs)
    {
        TimeToFirstTokenMs ??= elapsedMs;
        Usage = chunk.Usage ?? Usage;
        if (chunk.ContentDelta is { Length: > 0 } delta)
        {
            if (_text.Length < keptCharacters)
            {
                _text.Append(delta.AsSpan(0, (int)Math.Min(delta.Length, keptCharacters - _text.Length)));
            }
            _contentChunks++;
        }
    }

    /// <summary>
    /// The usage to bill, and whether it is an estimate. A broken-off stream (<paramref name="brokenOff"/>) never got its
    /// final usage: count what was streamed (about a token a chunk), and estimate the prompt when the upstream reported
    /// nothing at all. A whole stream whose upstream never reported usage (it ignored include_usage) is billed by estimate.
    /// </summary>
    public (TokenUsage Usage, bool Estimated) Billed(JsonObject body, bool brokenOff, bool failed)
    {
        if (brokenOff)
        {
            var counted = Usage == default
                ? UsageEstimator.Estimate(body, _contentChunks)
                : Usage with { CompletionTokens = Math.Max(Usage.CompletionTokens, _contentChunks) };
            return (counted, counted != Usage);
        }
        return !failed && Usage == default ? (UsageEstimator.Estimate(body, _contentChunks), true) : (Usage, false);
    }
}
