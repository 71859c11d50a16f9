using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Api.Errors;

namespace LlmRouter.Api.ClientFormats.Anthropic;

/// <summary>
/// Shape checks for the parts of a Messages request the translator walks (content blocks, tools, metadata) and for
/// the sampling parameters, with Anthropic's bounds and wording, so wrong types are a 400 rather than a fault.
/// </summary>
internal static class AnthropicRequestRules
{
    public static ApiError? Check(JsonObject request)
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
