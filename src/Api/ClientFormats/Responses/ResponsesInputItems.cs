using System.Text;
using static LlmRouter.Api.Json.JsonNodes;

namespace LlmRouter.Api.ClientFormats.Responses;

/// <summary>
/// The Responses API's input items as canonical (OpenAI chat) messages: message items by role (<c>developer</c> as
/// <c>system</c>), <c>function_call</c> items as the assistant's tool calls, <c>function_call_output</c> items as tool
/// messages; reasoning items are dropped (chat upstreams take no reasoning back). Items and content parts of other
/// types (built-in tool calls, <c>item_reference</c>, <c>input_file</c>) have no chat form: they are left out and
/// noted, and only an upstream serving the Responses API itself can take the request.
/// </summary>
public static class ResponsesInputItems
{
    /// <summary><c>input</c> as a list of items: a string is one user message.</summary>
    public static (JsonArray? Items, ApiError? Error) Read(JsonNode? input)
    {
        if (String(input) is { } text)
        {
            return ([new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = text }], null);
        }
        if (input is not JsonArray list)
        {
            return (null, ApiErrors.Invalid("input", "'input' must be a string or an array of input items."));
        }
        var items = new JsonArray();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject item)
            {
                return (null, ApiErrors.Invalid($"input[{i}]", $"'input[{i}]' must be an object."));
            }
            items.Add(item.DeepClone());
        }
        return (items, null);
    }

    /// <summary>The messages the items say, what they hold that chat cannot say noted in <paramref name="untranslatable"/>; or the first malformed item.</summary>
    public static (JsonArray? Messages, ApiError? Error) ToMessages(JsonArray items, List<(string Param, string What)> untranslatable)
    {
        var messages = new JsonArray();
        for (var i = 0; i < items.Count; i++)
        {
            var item = (JsonObject)items[i]!;
            var error = (String(item["type"]) ?? (item["role"] is null ? null : "message")) switch
            {
                "message" => AddMessage(messages, item, i, untranslatable),
                "function_call" => AddCall(messages, item, i),
                "function_call_output" => AddOutput(messages, item, i),
                "reasoning" => null,
                null => ApiErrors.Invalid($"input[{i}].type", $"'input[{i}].type' must be a string, or the item a message with a 'role'."),
                var other => Untranslatable(untranslatable, $"input[{i}].type", $"input items of type '{other}'"),
            };
            if (error is not null)
            {
                return (null, error);
            }
        }
        return (messages, null);
    }

    private static ApiError? AddMessage(JsonArray messages, JsonObject item, int i, List<(string Param, string What)> untranslatable)
    {
        var role = String(item["role"]);
        if (role is not ("user" or "assistant" or "system" or "developer"))
        {
            return ApiErrors.Invalid($"input[{i}].role", $"'input[{i}].role' must be one of 'user', 'assistant', 'system' or 'developer'.");
        }
        var (parts, error) = Parts(item["content"], i, untranslatable);
        if (error is not null)
        {
            return error;
        }
        if (role == "user")
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = parts!.All(IsText) ? Text(parts!) : parts });
            return null;
        }
        if (!parts!.All(IsText))
        {
            return ApiErrors.Invalid($"input[{i}].content", $"Only text content is supported in '{role}' messages.");
        }
        messages.Add(new JsonObject { ["role"] = role == "developer" ? "system" : role, ["content"] = Text(parts!) });
        return null;
    }

    private static ApiError? AddCall(JsonArray messages, JsonObject item, int i)
    {
        if (String(item["call_id"]) is not { } callId || String(item["name"]) is not { } name)
        {
            return ApiErrors.Invalid($"input[{i}]", $"'input[{i}]' (function_call) needs a string 'call_id' and 'name'.");
        }
        var call = new JsonObject
        {
            ["id"] = callId,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name, ["arguments"] = String(item["arguments"]) ?? "{}" },
        };
        // Calls right after the assistant's text (or its other calls) belong to the same turn.
        if (messages.Count > 0 && messages[^1] is JsonObject last && String(last["role"]) == "assistant")
        {
            if (last["tool_calls"] is not JsonArray calls)
            {
                last["tool_calls"] = calls = [];
            }
            calls.Add(call);
            return null;
        }
        messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(call) });
        return null;
    }

    private static ApiError? AddOutput(JsonArray messages, JsonObject item, int i)
    {
        if (String(item["call_id"]) is not { } callId)
        {
            return ApiErrors.Invalid($"input[{i}].call_id", $"'input[{i}].call_id' (function_call_output) must be a string.");
        }
        var output = item["output"] switch
        {
            JsonArray parts when parts.All(p => p is JsonObject) => string.Concat(parts.Select(p => String(p!["text"]))),
            var value => String(value),
        };
        if (output is null)
        {
            return ApiErrors.Invalid($"input[{i}].output", $"'input[{i}].output' must be a string or an array of text parts.");
        }
        messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = callId, ["content"] = output });
        return null;
    }

    /// <summary>A message's content as chat content parts (text and image_url); parts of other types are noted and left out.</summary>
    private static (JsonArray? Parts, ApiError? Error) Parts(JsonNode? content, int i, List<(string Param, string What)> untranslatable)
    {
        if (String(content) is { } text)
        {
            return ([TextPart(text)], null);
        }
        if (content is not JsonArray list)
        {
            return (null, ApiErrors.Invalid($"input[{i}].content", $"'input[{i}].content' must be a string or an array of content parts."));
        }
        var parts = new JsonArray();
        foreach (var node in list)
        {
            if (node is not JsonObject part)
            {
                return (null, ApiErrors.Invalid($"input[{i}].content", $"'input[{i}].content' must hold content part objects."));
            }
            switch (String(part["type"]))
            {
                case "input_text" or "output_text" or "text":
                    parts.Add(TextPart(String(part["text"]) ?? ""));
                    break;
                case "refusal":
                    parts.Add(TextPart(String(part["refusal"]) ?? ""));
                    break;
                case "input_image" when String(part["image_url"]) is { } url:
                    var image = new JsonObject { ["url"] = url };
                    if (String(part["detail"]) is { } detail)
                    {
                        image["detail"] = detail;
                    }
                    parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = image });
                    break;
                case null:
                    return (null, ApiErrors.Invalid($"input[{i}].content", $"'input[{i}].content' must hold content parts with a string 'type'."));
                case "input_image":
                    Untranslatable(untranslatable, $"input[{i}].content", "input_image parts without an image_url");
                    break;
                case var other:
                    Untranslatable(untranslatable, $"input[{i}].content", $"content parts of type '{other}'");
                    break;
            }
        }
        return (parts, null);
    }

    /// <summary>Notes what chat cannot say; the item or part is left out of the messages.</summary>
    private static ApiError? Untranslatable(List<(string Param, string What)> untranslatable, string param, string what)
    {
        untranslatable.Add((param, what));
        return null;
    }

    private static JsonObject TextPart(string text) => new() { ["type"] = "text", ["text"] = text };

    private static bool IsText(JsonNode? part) => String(part?["type"]) == "text";

    private static string Text(JsonArray parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(String(part!["text"]));
        }
        return text.ToString();
    }
}
