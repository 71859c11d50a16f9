namespace LlmRouter.Providers.Ollama;

/// <summary>
/// Translates a canonical (OpenAI chat) body into an Ollama <c>/api/chat</c> body: sampling goes in
/// <c>options</c> (max tokens as <c>num_predict</c>), images as base64 strings beside the text, tool-call
/// arguments as objects, tool results named by <c>tool_name</c>; <c>stream</c> is always explicit since
/// Ollama streams by default.
/// </summary>
internal static class OllamaRequestBuilder
{
    private const string Upstream = "Ollama's native API";

    public static JsonObject Build(JsonObject canonical, string model, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = Messages(canonical),
            ["stream"] = stream,
        };
        if (Options(canonical) is { Count: > 0 } options)
        {
            body["options"] = options;
        }
        switch (CanonicalOptions.ResponseFormat(canonical))
        {
            case ("json_object", _):
                body["format"] = "json";
                break;
            case ("json_schema", { } schema):
                body["format"] = schema.DeepClone();
                break;
        }
        if (canonical["tools"] is JsonArray tools && tools.Count > 0)
        {
            body["tools"] = tools.DeepClone();
        }
        return body;
    }

    private static JsonArray Messages(JsonObject canonical)
    {
        var messages = new JsonArray();
        foreach (var message in CanonicalMessages.Read(canonical, Upstream))
        {
            switch (message.Role)
            {
                case "system":
                    messages.Add(new JsonObject { ["role"] = "system", ["content"] = message.Text ?? "" });
                    break;
                case "user":
                    messages.Add(User(message.Source["content"]));
                    break;
                case "assistant":
                    messages.Add(Assistant(message));
                    break;
                default:
                    var result = new JsonObject { ["role"] = "tool", ["content"] = message.Text ?? "" };
                    if (message.ToolName is { } name)
                    {
                        result["tool_name"] = name;
                    }
                    messages.Add(result);
                    break;
            }
        }
        return messages;
    }

    private static JsonObject User(JsonNode? content)
    {
        var text = new StringBuilder();
        var images = new JsonArray();
        foreach (var part in CanonicalMessages.UserParts(content, Upstream))
        {
            if (part.Text is { } piece)
            {
                text.Append(piece);
            }
            else
            {
                images.Add(DataUrl.TryParse(part.ImageUrl ?? "", out _, out var data)
                    ? data
                    : throw new TranslationFailure("Ollama's native API takes images inline only: send them as data:image/…;base64 URLs"));
            }
        }
        var message = new JsonObject { ["role"] = "user", ["content"] = text.ToString() };
        if (images.Count > 0)
        {
            message["images"] = images;
        }
        return message;
    }

    private static JsonObject Assistant(CanonicalMessage source)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = source.Text ?? "" };
        if (source.ToolCalls.Count > 0)
        {
            var converted = new JsonArray();
            foreach (var call in source.ToolCalls)
            {
                converted.Add(new JsonObject { ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments } });
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
            CanonicalOptions.CopyNumber(canonical, name, options, name);
        }
        if (CanonicalOptions.MaxTokens(canonical) is { } max)
        {
            options["num_predict"] = max;
        }
        if (CanonicalOptions.StopSequences(canonical) is { } stops)
        {
            options["stop"] = stops;
        }
        return options;
    }
}
