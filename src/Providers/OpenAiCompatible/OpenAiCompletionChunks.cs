namespace LlmRouter.Providers.OpenAiCompatible;

/// <summary>
/// A whole chat completion, sent by a server that ignored <c>"stream": true</c>, as the stream it should have been:
/// the message's text and tool calls in one delta, a finish chunk, and a usage-only chunk when the answer reports usage.
/// </summary>
internal static class OpenAiCompletionChunks
{
    /// <summary>The chunks, or null when <paramref name="body"/> is not a chat completion.</summary>
    public static IReadOnlyList<ChatStreamChunk>? From(byte[] body)
    {
        if (JsonNode.Parse(body) is not JsonObject completion
            || completion["choices"] is not JsonArray { Count: > 0 } choices
            || choices[0] is not JsonObject { } choice
            || choice["message"] is not JsonObject message)
        {
            return null;
        }
        var writer = new OpenAiChunkWriter(
            JsonRead.String(completion["id"]) ?? "chatcmpl-router", JsonRead.String(completion["model"]) ?? "", JsonRead.Long(completion["created"]) ?? 0);
        var delta = new JsonObject();
        if (message["content"] is JsonValue content && content.GetValueKind() == JsonValueKind.String)
        {
            delta["content"] = content.GetValue<string>();
        }
        if (message["tool_calls"] is JsonArray calls)
        {
            var indexed = new JsonArray();
            for (var i = 0; i < calls.Count; i++)
            {
                if (calls[i]?.DeepClone() is JsonObject call)
                {
                    call["index"] = i;
                    indexed.Add(call);
                }
            }
            delta["tool_calls"] = indexed;
        }
        OpenAiJsonInspector.TryInspectCompletion(body, out var usage, out var finishReason, out _);
        var chunks = new List<ChatStreamChunk> { writer.Delta(delta), writer.Delta([], finishReason ?? "stop") };
        if (usage is { } reported)
        {
            chunks.Add(writer.UsageOnly(reported));
        }
        return chunks;
    }
}
