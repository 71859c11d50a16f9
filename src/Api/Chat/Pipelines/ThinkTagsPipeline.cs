using System.Runtime.CompilerServices;

namespace LlmRouter.Api.Chat.Pipelines;

/// <summary>
/// For clients (Cursor and the like) that show reasoning only inside the content: DeepSeek/Kimi-style
/// <c>reasoning_content</c> (or OpenRouter's <c>reasoning</c>) becomes <c>&lt;think&gt;\n…\n&lt;/think&gt;\n\n</c>
/// ahead of the answer's content, in whole answers and in streams alike.
/// </summary>
public sealed class ThinkTagsPipeline : IResponsePipeline
{
    public const string Open = "<think>\n";
    public const string Close = "\n</think>\n\n";

    public string Name => PipelineNames.ThinkTags;

    public UpstreamChatResult Apply(UpstreamChatResult result)
    {
        if (result.Error is not null || result.Body.IsEmpty || !Mentions(result.Body.Span))
        {
            return result;
        }
        if (JsonNode.Parse(result.Body.Span) is not JsonObject root || root["choices"] is not JsonArray choices)
        {
            return result;
        }
        var changed = false;
        foreach (var choice in choices)
        {
            if (choice?["message"] is JsonObject message && TakeReasoning(message) is { Length: > 0 } reasoning)
            {
                message["content"] = Open + reasoning + Close + (Text(message["content"]) ?? "");
                changed = true;
            }
        }
        return changed ? result with { Body = JsonBytes.Of(root) } : result;
    }

    public async IAsyncEnumerable<ChatStreamChunk> Apply(IAsyncEnumerable<ChatStreamChunk> chunks)
    {
        var thinking = false;
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            if (chunk.Error is not null || chunk.IsUsageOnly || chunk.Json.IsEmpty || (!thinking && !Mentions(chunk.Json.Span)))
            {
                yield return chunk;
                continue;
            }
            if (JsonNode.Parse(chunk.Json.Span) is not JsonObject root || JsonNodes.First(root["choices"]) is not JsonObject choice || choice["delta"] is not JsonObject delta)
            {
                yield return chunk;
                continue;
            }
            var reasoning = TakeReasoning(delta);
            var content = Text(delta["content"]);
            var text = "";
            if (!string.IsNullOrEmpty(reasoning))
            {
                text = (thinking ? "" : Open) + reasoning;
                thinking = true;
            }
            var answerBegins = !string.IsNullOrEmpty(content) || delta["tool_calls"] is not null || choice["finish_reason"] is JsonValue;
            if (thinking && answerBegins)
            {
                text += Close;
                thinking = false;
            }
            text += content;
            if (text.Length == 0 && reasoning is null)
            {
                yield return chunk;
                continue;
            }
            delta["content"] = text;
            yield return chunk with
            {
                Json = JsonBytes.Of(root),
                ContentDelta = text.Length == 0 ? null : text,
            };
        }
    }

    /// <summary>Cheap test before parsing: most chunks carry no reasoning.</summary>
    private static bool Mentions(ReadOnlySpan<byte> json) => json.IndexOf("\"reasoning"u8) >= 0;

    private static string? TakeReasoning(JsonObject holder)
    {
        var reasoning = Text(holder["reasoning_content"]) ?? Text(holder["reasoning"]);
        holder.Remove("reasoning_content");
        holder.Remove("reasoning");
        return reasoning;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
