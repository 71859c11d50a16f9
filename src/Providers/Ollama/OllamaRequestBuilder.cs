using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Providers.Wire;

namespace LlmRouter.Providers.Ollama;

/// <summary>
/// Translates a canonical (OpenAI chat) body into an Ollama <c>/api/chat</c> body: sampling goes in
/// <c>options</c> (max tokens as <c>num_predict</c>), images as base64 strings beside the text, tool-call
/// arguments as objects, tool results named by <c>tool_name</c>; <c>stream</c> is always explicit since
/// Ollama streams by default.
/// </summary>
internal static class OllamaRequestBuilder
{
    public static JsonObject Build(JsonObject canonical, string model, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = Messages(canonical["messages"] as JsonArray ?? []),
            ["stream"] = stream,
        };
        if (Options(canonical) is { Count: > 0 } options)
        {
            body["options"] = options;
        }
        switch (JsonRead.String(canonical["response_format"]?["type"]))
        {
            case "json_object":
                body["format"] = "json";
                break;
            case "json_schema" when (canonical["response_format"]?["json_schema"]?["schema"]) is JsonObject schema:
                body["format"] = schema.DeepClone();
                break;
        }
        if (canonical["tools"] is JsonArray tools && tools.Count > 0)
        {
            body["tools"] = tools.DeepClone();
        }
        return body;
    }

    private static JsonArray Messages(JsonArray canonical)
    {
        var messages = new JsonArray();
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
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
                    messages.Add(new JsonObject { ["role"] = "system", ["content"] = JsonRead.Text(message["content"]) ?? "" });
                    break;
                case "user":
                    messages.Add(User(message["content"]));
                    break;
                case "assistant":
                    messages.Add(Assistant(message, toolNames));
                    break;
                case "tool":
                    var id = JsonRead.String(message["tool_call_id"]) ?? "";
                    var result = new JsonObject { ["role"] = "tool", ["content"] = JsonRead.Text(message["content"]) ?? "" };
                    if (toolNames.TryGetValue(id, out var name))
                    {
                        result["tool_name"] = name;
                    }
                    messages.Add(result);
                    break;
                default:
                    throw new TranslationFailure($"messages with role '{role}' cannot be sent to Ollama's native API");
            }
        }
        return messages;
    }

    private static JsonObject User(JsonNode? content)
    {
        var message = new JsonObject { ["role"] = "user" };
        if (content is not JsonArray parts)
        {
            message["content"] = JsonRead.String(content) ?? "";
            return message;
        }
        var text = new System.Text.StringBuilder();
        var images = new JsonArray();
        foreach (var part in parts)
        {
            var type = JsonRead.String(part?["type"]);
            switch (type)
            {
                case "text":
                    text.Append(JsonRead.String(part!["text"]));
                    break;
                case "image_url":
                    var url = JsonRead.String(part!["image_url"]?["url"]) ?? JsonRead.String(part["image_url"]) ?? "";
                    images.Add(DataUrl.TryParse(url, out _, out var data)
                        ? data
                        : throw new TranslationFailure("Ollama's native API takes images inline only: send them as data:image/…;base64 URLs"));
                    break;
                default:
                    throw new TranslationFailure($"content parts of type '{type}' cannot be sent to Ollama's native API");
            }
        }
        message["content"] = text.ToString();
        if (images.Count > 0)
        {
            message["images"] = images;
        }
        return message;
    }

    private static JsonObject Assistant(JsonObject source, Dictionary<string, string> toolNames)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = JsonRead.Text(source["content"]) ?? "" };
        if (source["tool_calls"] is JsonArray calls && calls.Count > 0)
        {
            var converted = new JsonArray();
            foreach (var call in calls)
            {
                var name = JsonRead.String(call?["function"]?["name"]) ?? "";
                if (JsonRead.String(call?["id"]) is { } id)
                {
                    toolNames[id] = name;
                }
                converted.Add(new JsonObject
                {
                    ["function"] = new JsonObject
                    {
                        ["name"] = name,
                        ["arguments"] = ToolArguments.Parse(JsonRead.String(call?["function"]?["arguments"])),
                    },
                });
            }
            message["tool_calls"] = converted;
        }
        return message;
    }

    private static JsonObject Options(JsonObject canonical)
    {
        var options = new JsonObject();
        foreach (var name in (string[])["temperature", "top_p", "top_k", "seed", "presence_penalty", "frequency_penalty"])
        {
            if (canonical[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
            {
                options[name] = value.DeepClone();
            }
        }
        if ((JsonRead.Long(canonical["max_completion_tokens"]) ?? JsonRead.Long(canonical["max_tokens"])) is { } max)
        {
            options["num_predict"] = max;
        }
        switch (canonical["stop"])
        {
            case JsonValue stop when JsonRead.String(stop) is { } single:
                options["stop"] = new JsonArray(single);
                break;
            case JsonArray stops:
                options["stop"] = stops.DeepClone();
                break;
        }
        return options;
    }
}
