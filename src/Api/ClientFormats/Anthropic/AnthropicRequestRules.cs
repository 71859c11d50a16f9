namespace LlmRouter.Api.ClientFormats.Anthropic;

/// <summary>
/// Shape checks for a Messages request: its required fields, the parts the translator walks (content blocks, tools,
/// metadata) and the sampling parameters, with Anthropic's bounds and wording, so wrong types are a 400 rather than a fault.
/// </summary>
internal static class AnthropicRequestRules
{
    /// <summary>The request's required fields and their types, then <see cref="Check"/>; null when it may be translated.</summary>
    public static ApiError? Validate(JsonObject request)
    {
        if (request["model"] is not JsonValue model || model.GetValueKind() != JsonValueKind.String || model.GetValue<string>().Length == 0)
        {
            return AnthropicErrors.Invalid("model: Field required (a model name such as 'provider/model')");
        }
        if (request["max_tokens"] is not JsonValue max || !max.TryGetValue(out long tokens) || tokens < 1)
        {
            return AnthropicErrors.Invalid("max_tokens: Field required (a positive integer)");
        }
        if (request["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return AnthropicErrors.Invalid("messages: Field required (a non-empty array)");
        }
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message || message["role"] is not JsonValue role || role.GetValueKind() != JsonValueKind.String || role.GetValue<string>() is not ("user" or "assistant"))
            {
                return AnthropicErrors.Invalid($"messages.{i}.role: Input should be 'user' or 'assistant'");
            }
            if (message["content"] is not (JsonArray or JsonValue) || (message["content"] is JsonValue text && text.GetValueKind() != JsonValueKind.String))
            {
                return AnthropicErrors.Invalid($"messages.{i}.content: Input should be a string or an array of content blocks");
            }
        }
        if (request["stream"] is { } stream && stream.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return AnthropicErrors.Invalid("stream: Input should be a valid boolean");
        }
        if (request["system"] is { } system && system.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Array))
        {
            return AnthropicErrors.Invalid("system: Input should be a string or an array of text blocks");
        }
        return Check(request);
    }

    private static ApiError? Check(JsonObject request)
    {
        var messages = (JsonArray)request["messages"]!;
        for (var i = 0; i < messages.Count; i++)
        {
            if (((JsonObject)messages[i]!)["content"] is JsonArray blocks && Blocks(blocks, $"messages.{i}.content") is { } bad)
            {
                return bad;
            }
        }
        if (request["system"] is JsonArray system && Blocks(system, "system") is { } badSystem)
        {
            return badSystem;
        }
        if ((Number(request, "temperature", 0, 1) ?? Number(request, "top_p", 0, 1)) is { } badNumber)
        {
            return badNumber;
        }
        if (request["top_k"] is { } topK && (topK is not JsonValue k || !k.TryGetValue(out long count) || count < 0))
        {
            return AnthropicErrors.Invalid("top_k: Input should be a non-negative integer");
        }
        if (request["stop_sequences"] is { } stops && (stops is not JsonArray list || list.Any(s => s?.GetValueKind() != JsonValueKind.String)))
        {
            return AnthropicErrors.Invalid("stop_sequences: Input should be a list of strings");
        }
        if (request["tools"] is { } tools && (tools is not JsonArray toolList || toolList.Any(t => t is not JsonObject)))
        {
            return AnthropicErrors.Invalid("tools: Input should be a list of tool objects");
        }
        foreach (var name in (string[])["metadata", "tool_choice", "thinking"])
        {
            if (request[name] is { } part && part is not JsonObject)
            {
                return AnthropicErrors.Invalid($"{name}: Input should be an object");
            }
        }
        return null;
    }

    private static ApiError? Blocks(JsonArray blocks, string where)
    {
        for (var j = 0; j < blocks.Count; j++)
        {
            if (blocks[j] is not JsonObject block || block["type"]?.GetValueKind() != JsonValueKind.String)
            {
                return AnthropicErrors.Invalid($"{where}.{j}: Input should be a content block object with a string 'type'");
            }
            if (block["text"] is { } text && text.GetValueKind() != JsonValueKind.String)
            {
                return AnthropicErrors.Invalid($"{where}.{j}.text: Input should be a valid string");
            }
            if (block["source"] is { } source && source is not JsonObject)
            {
                return AnthropicErrors.Invalid($"{where}.{j}.source: Input should be an object");
            }
            if (block["content"] is JsonArray inner && Blocks(inner, $"{where}.{j}.content") is { } bad)
            {
                return bad;
            }
        }
        return null;
    }

    private static ApiError? Number(JsonObject request, string name, double min, double max) =>
        request[name] is { } node && (node is not JsonValue value || !value.TryGetValue(out double number) || !double.IsFinite(number) || number < min || number > max)
            ? AnthropicErrors.Invalid($"{name}: Input should be a number from {min} to {max}")
            : null;
}
