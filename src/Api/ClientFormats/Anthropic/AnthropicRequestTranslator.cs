using System.Text;

namespace LlmRouter.Api.ClientFormats.Anthropic;

/// <summary>
/// Checks an Anthropic Messages request and translates it into the canonical OpenAI chat body: <c>system</c>
/// becomes a system message, <c>tool_result</c> blocks become tool messages (ahead of the user's other content),
/// <c>tool_use</c> blocks become tool calls, image blocks image parts; thinking blocks from earlier turns are
/// dropped (OpenAI-family upstreams take no reasoning back).
/// </summary>
public static class AnthropicRequestTranslator
{
    public static (AnthropicTranslation? Translation, ApiError? Error) Translate(JsonObject request)
    {
        if (AnthropicRequestRules.Validate(request) is { } invalid)
        {
            return (null, invalid);
        }
        var untranslatable = new List<string>();
        var messages = new JsonArray();
        if (SystemText(request["system"]) is { Length: > 0 } system)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }
        foreach (var node in (JsonArray)request["messages"]!)
        {
            var message = (JsonObject)node!;
            if (String(message["role"]) == "user")
            {
                AddUser(messages, message["content"], untranslatable);
            }
            else
            {
                AddAssistant(messages, message["content"], untranslatable);
            }
        }
        var body = new JsonObject
        {
            ["model"] = String(request["model"]),
            ["messages"] = messages,
            ["max_tokens"] = request["max_tokens"]!.DeepClone(),
        };
        if (request["stream"] is JsonValue stream && stream.GetValueKind() == JsonValueKind.True)
        {
            body["stream"] = true;
        }
        foreach (var name in (string[])["temperature", "top_p"])
        {
            if (request[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
            {
                body[name] = value.DeepClone();
            }
        }
        if (request["stop_sequences"] is JsonArray stops && stops.Count > 0)
        {
            body["stop"] = stops.DeepClone();
        }
        if (Tools(request["tools"], untranslatable) is { Count: > 0 } tools)
        {
            body["tools"] = tools;
            AddToolChoice(body, request["tool_choice"] as JsonObject);
        }
        if (String(request["metadata"]?["user_id"]) is { } user)
        {
            body["user"] = user;
        }
        return (new AnthropicTranslation(body, untranslatable), null);
    }

    private static string? SystemText(JsonNode? system) => system switch
    {
        JsonValue value => String(value),
        JsonArray blocks => string.Join("\n\n", blocks.Select(b => String(b?["text"])).Where(t => !string.IsNullOrEmpty(t))),
        _ => null,
    };

    private static void AddUser(JsonArray messages, JsonNode? content, List<string> untranslatable)
    {
        if (String(content) is { } text)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = text });
            return;
        }
        var parts = new JsonArray();
        foreach (var block in (JsonArray)content!)
        {
            switch (String(block?["type"]))
            {
                case "text":
                    parts.Add(new JsonObject { ["type"] = "text", ["text"] = String(block!["text"]) ?? "" });
                    break;
                case "image":
                    if (ImageUrl(block!["source"]) is { } url)
                    {
                        parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } });
                    }
                    else
                    {
                        untranslatable.Add("image source " + String(block["source"]?["type"]));
                    }
                    break;
                case "tool_result":
                    // OpenAI wants each tool result as its own message right after the call.
                    messages.Add(new JsonObject
                    {
                        ["role"] = "tool",
                        ["tool_call_id"] = String(block!["tool_use_id"]) ?? "",
                        ["content"] = ToolResultText(block["content"]),
                    });
                    break;
                case var other:
                    untranslatable.Add(other + " block");
                    break;
            }
        }
        if (parts.Count > 0)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = parts });
        }
    }

    private static void AddAssistant(JsonArray messages, JsonNode? content, List<string> untranslatable)
    {
        if (String(content) is { } plain)
        {
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = plain });
            return;
        }
        var text = new StringBuilder();
        var calls = new JsonArray();
        foreach (var block in (JsonArray)content!)
        {
            switch (String(block?["type"]))
            {
                case "text":
                    text.Append(String(block!["text"]));
                    break;
                case "tool_use":
                    calls.Add(new JsonObject
                    {
                        ["id"] = String(block!["id"]) ?? "",
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = String(block["name"]) ?? "",
                            ["arguments"] = block["input"] is JsonObject input ? Encoding.UTF8.GetString(JsonBytes.Of(input)) : "{}",
                        },
                    });
                    break;
                case "thinking" or "redacted_thinking":
                    break;
                case var other:
                    untranslatable.Add(other + " block");
                    break;
            }
        }
        var message = new JsonObject { ["role"] = "assistant", ["content"] = text.Length > 0 || calls.Count == 0 ? text.ToString() : null };
        if (calls.Count > 0)
        {
            message["tool_calls"] = calls;
        }
        messages.Add(message);
    }

    private static string? ImageUrl(JsonNode? source) => String(source?["type"]) switch
    {
        "base64" => $"data:{String(source!["media_type"])};base64,{String(source["data"])}",
        "url" => String(source!["url"]),
        _ => null,
    };

    private static string ToolResultText(JsonNode? content) => content switch
    {
        JsonValue value => String(value) ?? "",
        JsonArray blocks => string.Concat(blocks.Where(b => String(b?["type"]) == "text").Select(b => String(b!["text"]))),
        _ => "",
    };

    private static JsonArray? Tools(JsonNode? tools, List<string> untranslatable)
    {
        if (tools is not JsonArray list)
        {
            return null;
        }
        var result = new JsonArray();
        foreach (var tool in list)
        {
            // Client tools have no type (or "custom"); typed ones are Anthropic's server and built-in tools.
            if (tool is not JsonObject definition || String(definition["type"]) is { } type && type != "custom")
            {
                untranslatable.Add("tool type " + String(tool?["type"]));
                continue;
            }
            var function = new JsonObject { ["name"] = String(definition["name"]) ?? "" };
            if (String(definition["description"]) is { } description)
            {
                function["description"] = description;
            }
            function["parameters"] = definition["input_schema"]?.DeepClone() ?? new JsonObject { ["type"] = "object" };
            result.Add(new JsonObject { ["type"] = "function", ["function"] = function });
        }
        return result;
    }

    private static void AddToolChoice(JsonObject body, JsonObject? choice)
    {
        if (choice is null)
        {
            return;
        }
        JsonNode? mapped = String(choice["type"]) switch
        {
            "auto" => "auto",
            "any" => "required",
            "none" => "none",
            "tool" => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = String(choice["name"]) ?? "" } },
            _ => null,
        };
        if (mapped is not null)
        {
            body["tool_choice"] = mapped;
        }
        if (choice["disable_parallel_tool_use"] is JsonValue disable && disable.GetValueKind() == JsonValueKind.True)
        {
            body["parallel_tool_calls"] = false;
        }
    }

    private static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
