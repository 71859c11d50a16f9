namespace LlmRouter.Providers.OpenAiCompatible;

/// <summary>Reads usage, finish reason and text out of OpenAI chat-completion JSON without changing it.</summary>
public static class OpenAiJsonInspector
{
    /// <summary>Inspects a non-streamed completion; false when the body is not a JSON object.</summary>
    public static bool TryInspectCompletion(ReadOnlyMemory<byte> json, out TokenUsage? usage, out string? finishReason, out string? text)
    {
        usage = null;
        finishReason = null;
        text = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            usage = ReadUsage(root);
            if (FirstChoice(root) is { } choice)
            {
                finishReason = StringOrNull(choice, "finish_reason");
                if (choice.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
                {
                    text = StringOrNull(message, "content");
                }
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Turns one streamed chunk into a <see cref="ChatStreamChunk"/>, or null when it is not a JSON object.</summary>
    public static ChatStreamChunk? InspectChunk(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            if (root.TryGetProperty("error", out _))
            {
                var message = Http.UpstreamFailures.ErrorMessage(Encoding.UTF8.GetString(json)) ?? "the upstream reported an error mid-stream";
                return new ChatStreamChunk { Json = json, Error = new UpstreamError(UpstreamErrorKind.Protocol, message) };
            }
            var choice = FirstChoice(root);
            var hasChoices = root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0;
            string? delta = null;
            if (choice is { } c && c.TryGetProperty("delta", out var d) && d.ValueKind == JsonValueKind.Object)
            {
                delta = StringOrNull(d, "content");
            }
            var usage = ReadUsage(root);
            return new ChatStreamChunk
            {
                Json = json,
                Usage = usage,
                IsUsageOnly = usage is not null && !hasChoices,
                ContentDelta = delta,
                FinishReason = choice is { } f ? StringOrNull(f, "finish_reason") : null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first choice, when it is an object: an upstream's <c>choices: [5]</c> has none to read.</summary>
    private static JsonElement? FirstChoice(JsonElement root) =>
        root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
            && choices[0].ValueKind == JsonValueKind.Object
            ? choices[0]
            : null;

    private static TokenUsage? ReadUsage(JsonElement root)
    {
        if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        return new TokenUsage(LongOrZero(usage, "prompt_tokens"), LongOrZero(usage, "completion_tokens"));
    }

    private static long LongOrZero(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
