using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Providers.Wire;

namespace LlmRouter.Providers.Anthropic;

/// <summary>
/// Translates a canonical (OpenAI chat) body into an Anthropic Messages body: system messages lifted into
/// <c>system</c>, tool results into user <c>tool_result</c> blocks, tool calls into <c>tool_use</c> blocks, image
/// parts into image blocks, consecutive turns of one role merged, and <c>max_tokens</c> always set.
/// </summary>
internal static class AnthropicRequestBuilder
{
    /// <summary>Anthropic requires max_tokens; this is sent when neither the client nor <c>settings.default_max_tokens</c> gives one.</summary>
    public const long DefaultMaxTokens = 4096;

    public static JsonObject Build(JsonObject canonical, string model, ProviderConfig provider, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = JsonRead.Long(canonical["max_completion_tokens"]) ?? JsonRead.Long(canonical["max_tokens"]) ?? DefaultMax(provider),
        };
        var (system, messages) = Messages(canonical["messages"] as JsonArray ?? []);
        if (system is not null)
        {
            body["system"] = system;
        }
        body["messages"] = messages;
        if (stream)
        {
            body["stream"] = true;
        }
        if (canonical["temperature"] is JsonValue temperature && temperature.TryGetValue(out double t))
        {
            // OpenAI allows up to 2, Anthropic up to 1.
            body["temperature"] = Math.Min(t, 1.0);
        }
        CopyNumber(canonical, "top_p", body, "top_p");
        CopyNumber(canonical, "top_k", body, "top_k");
        switch (canonical["stop"])
        {
            case JsonValue stop when JsonRead.String(stop) is { } single:
                body["stop_sequences"] = new JsonArray(single);
                break;
            case JsonArray stops:
                body["stop_sequences"] = stops.DeepClone();
                break;
        }
        if (Tools(canonical["tools"]) is { Count: > 0 } tools)
        {
            body["tools"] = tools;
            if (ToolChoice(canonical["tool_choice"], JsonRead.Bool(canonical["parallel_tool_calls"])) is { } choice)
            {
                body["tool_choice"] = choice;
            }
        }
        if (JsonRead.String(canonical["user"]) is { } user)
        {
            body["metadata"] = new JsonObject { ["user_id"] = user };
        }
        return body;
    }

    private static long DefaultMax(ProviderConfig provider) =>
        long.TryParse(provider.Setting("default_max_tokens"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : DefaultMaxTokens;

    private static void CopyNumber(JsonObject from, string name, JsonObject to, string target)
    {
        if (from[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            to[target] = value.DeepClone();
        }
    }

    private static (string? System, JsonArray Messages) Messages(JsonArray canonical)
    {
        var system = new List<string>();
        var messages = new JsonArray();
        foreach (var node in canonical)
        {
            if (node is not JsonObject message)
            {
                continue;
            }
            var role = JsonRead.String(message["role"]);
            switch (role)
            {
                case "system" or "developer":
                    if (JsonRead.Text(message["content"]) is { Length: > 0 } text)
                    {
                        system.Add(text);
                    }
                    break;
                case "user":
                    Append(messages, "user", UserBlocks(message["content"]));
                    break;
                case "assistant":
                    Append(messages, "assistant", AssistantBlocks(message));
                    break;
                case "tool":
                    Append(messages, "user", [ToolResult(message)]);
                    break;
                default:
                    throw new TranslationFailure($"messages with role '{role}' cannot be sent to an Anthropic upstream");
            }
        }
        return (system.Count == 0 ? null : string.Join("\n\n", system), messages);
    }

    /// <summary>Adds blocks as a turn, joining them to the previous turn when it has the same role.</summary>
    private static void Append(JsonArray messages, string role, List<JsonNode> blocks)
    {
        if (blocks.Count == 0)
        {
            return;
        }
        if (messages.Count > 0 && messages[^1] is JsonObject last && JsonRead.String(last["role"]) == role && last["content"] is JsonArray content)
        {
            foreach (var block in blocks)
            {
                content.Add(block);
            }
            return;
        }
        messages.Add(new JsonObject { ["role"] = role, ["content"] = new JsonArray([.. blocks]) });
    }

    private static List<JsonNode> UserBlocks(JsonNode? content)
    {
        var blocks = new List<JsonNode>();
        if (JsonRead.String(content) is { } text)
        {
            AddText(blocks, text);
            return blocks;
        }
        if (content is not JsonArray parts)
        {
            return blocks;
        }
        foreach (var part in parts)
        {
            var type = JsonRead.String(part?["type"]);
            switch (type)
            {
                case "text":
                    AddText(blocks, JsonRead.String(part!["text"]) ?? "");
                    break;
                case "image_url":
                    blocks.Add(Image(JsonRead.String(part!["image_url"]?["url"]) ?? JsonRead.String(part["image_url"])));
                    break;
                default:
                    throw new TranslationFailure($"content parts of type '{type}' cannot be sent to an Anthropic upstream");
            }
        }
        return blocks;
    }

    private static void AddText(List<JsonNode> blocks, string text)
    {
        // Anthropic refuses empty text blocks.
        if (text.Length > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        }
    }

    private static JsonObject Image(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            throw new TranslationFailure("an image_url part has no url");
        }
        var source = DataUrl.TryParse(url, out var mediaType, out var data)
            ? new JsonObject { ["type"] = "base64", ["media_type"] = mediaType, ["data"] = data }
            : new JsonObject { ["type"] = "url", ["url"] = url };
        return new JsonObject { ["type"] = "image", ["source"] = source };
    }

    private static List<JsonNode> AssistantBlocks(JsonObject message)
    {
        var blocks = new List<JsonNode>();
        AddText(blocks, JsonRead.Text(message["content"]) ?? "");
        if (message["tool_calls"] is JsonArray calls)
        {
            foreach (var call in calls)
            {
                var function = call?["function"];
                blocks.Add(new JsonObject
                {
                    ["type"] = "tool_use",
                    ["id"] = JsonRead.String(call?["id"]) ?? "",
                    ["name"] = JsonRead.String(function?["name"]) ?? "",
                    ["input"] = ToolArguments.Parse(JsonRead.String(function?["arguments"])),
                });
            }
        }
        return blocks;
    }

    private static JsonObject ToolResult(JsonObject message)
    {
        var result = new JsonObject
        {
            ["type"] = "tool_result",
            ["tool_use_id"] = JsonRead.String(message["tool_call_id"]) ?? "",
        };
        var text = JsonRead.Text(message["content"]);
        if (!string.IsNullOrEmpty(text))
        {
            result["content"] = text;
        }
        return result;
    }

    private static JsonArray? Tools(JsonNode? tools)
    {
        if (tools is not JsonArray list)
        {
            return null;
        }
        var result = new JsonArray();
        foreach (var tool in list)
        {
            if (JsonRead.String(tool?["type"]) != "function" || tool!["function"] is not JsonObject function)
            {
                continue;
            }
            var converted = new JsonObject { ["name"] = JsonRead.String(function["name"]) ?? "" };
            if (JsonRead.String(function["description"]) is { } description)
            {
                converted["description"] = description;
            }
            converted["input_schema"] = function["parameters"] is JsonObject parameters
                ? parameters.DeepClone()
                : new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            result.Add(converted);
        }
        return result;
    }

    private static JsonObject? ToolChoice(JsonNode? choice, bool? parallel)
    {
        JsonObject? result = JsonRead.String(choice) switch
        {
            "auto" => new JsonObject { ["type"] = "auto" },
            "required" => new JsonObject { ["type"] = "any" },
            "none" => new JsonObject { ["type"] = "none" },
            _ when JsonRead.String(choice?["function"]?["name"]) is { } name => new JsonObject { ["type"] = "tool", ["name"] = name },
            _ => null,
        };
        if (parallel == false)
        {
            result ??= new JsonObject { ["type"] = "auto" };
            if (JsonRead.String(result["type"]) != "none")
            {
                result["disable_parallel_tool_use"] = true;
            }
        }
        return result;
    }
}
