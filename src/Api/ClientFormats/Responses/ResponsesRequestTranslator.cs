using LlmRouter.Api.Chat;
using static LlmRouter.Api.Json.JsonNodes;

namespace LlmRouter.Api.ClientFormats.Responses;

/// <summary>
/// Checks a Responses API request (CreateResponse) and translates it into the canonical OpenAI chat body, which every
/// upstream API is translated from: <c>instructions</c> become the system message, the conversation's items the
/// messages (<see cref="ResponsesInputItems"/>), function tools chat tools, <c>max_output_tokens</c> <c>max_tokens</c>
/// and <c>text.format</c> <c>response_format</c>; <c>service_tier</c> is kept. Built-in tools (web search, files,
/// computer use), a <c>tool_choice</c> naming one, and the items and parts <see cref="ResponsesInputItems"/> cannot
/// say have no chat equivalent: they are left out of the body and listed in the translation, so that only an upstream
/// serving the Responses API itself gets such a request.
/// </summary>
public static class ResponsesRequestTranslator
{
    /// <summary>Fields copied as they are when they have the right JSON kind.</summary>
    private static readonly (string Name, JsonValueKind Kind)[] Copied =
        [("temperature", JsonValueKind.Number), ("top_p", JsonValueKind.Number), ("user", JsonValueKind.String), ("parallel_tool_calls", JsonValueKind.True), ("parallel_tool_calls", JsonValueKind.False)];

    /// <summary>The canonical body of <paramref name="request"/> whose conversation, earlier turns included, is <paramref name="items"/>.</summary>
    public static (ResponsesTranslation? Translation, ApiError? Error) Translate(JsonObject request, JsonArray items)
    {
        if (request["model"] is not JsonValue model || model.GetValueKind() != JsonValueKind.String)
        {
            return (null, ApiErrors.Invalid("model", "'model' is required and must be a string: name a model as 'provider/model'."));
        }
        if (request["instructions"] is { } instructions && instructions.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Null))
        {
            return (null, ApiErrors.Invalid("instructions", "'instructions' must be a string."));
        }
        var untranslatable = new List<(string Param, string What)>();
        var (messages, invalid) = ResponsesInputItems.ToMessages(items, untranslatable);
        if (invalid is not null)
        {
            return (null, invalid);
        }
        if (String(request["instructions"]) is { Length: > 0 } system)
        {
            messages!.Insert(0, new JsonObject { ["role"] = "system", ["content"] = system });
        }
        var body = new JsonObject { ["model"] = model.DeepClone(), ["messages"] = messages };
        if (request["max_output_tokens"] is JsonValue max && max.GetValueKind() != JsonValueKind.Null)
        {
            if (!max.TryGetValue(out long tokens) || tokens < 1)
            {
                return (null, ApiErrors.Invalid("max_output_tokens", "'max_output_tokens' must be a positive integer."));
            }
            body["max_tokens"] = tokens;
        }
        foreach (var (name, kind) in Copied)
        {
            if (request[name] is JsonValue value && value.GetValueKind() == kind)
            {
                body[name] = value.DeepClone();
            }
        }
        // Of any kind, so the key's policy judges the tier asked for even when the request goes upstream as it is.
        if (request["service_tier"] is { } tier)
        {
            body["service_tier"] = tier.DeepClone();
        }
        var stream = request["stream"]?.GetValueKind();
        if (stream is not (null or JsonValueKind.True or JsonValueKind.False))
        {
            return (null, ApiErrors.Invalid("stream", "'stream' must be a boolean."));
        }
        if (stream == JsonValueKind.True)
        {
            body["stream"] = true;
        }
        if (request["text"] is not (null or JsonObject))
        {
            return (null, ApiErrors.Invalid("text", "'text' must be an object."));
        }
        var problem = AddTools(body, request["tools"], request["tool_choice"], untranslatable)
            ?? AddFormat(body, (request["text"] as JsonObject)?["format"])
            ?? ChatBodyReader.ValidateChat(body, modelRequired: true);
        return problem is null ? (new ResponsesTranslation(body, untranslatable), null) : (null, problem);
    }

    private static ApiError? AddTools(JsonObject body, JsonNode? tools, JsonNode? choice, List<(string Param, string What)> untranslatable)
    {
        if (tools is JsonArray { Count: > 0 } list)
        {
            var translated = new JsonArray();
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not JsonObject tool || String(tool["type"]) is not { } type)
                {
                    return ApiErrors.Invalid($"tools[{i}]", $"'tools[{i}]' must be a tool object with a string 'type'.");
                }
                if (type != "function")
                {
                    untranslatable.Add(($"tools[{i}]", $"tools of type '{type}'"));
                    continue;
                }
                if (String(tool["name"]) is not { } name)
                {
                    return ApiErrors.Invalid($"tools[{i}]", $"'tools[{i}]' (function) needs a string 'name'.");
                }
                var function = new JsonObject { ["name"] = name };
                if (String(tool["description"]) is { } description)
                {
                    function["description"] = description;
                }
                function["parameters"] = tool["parameters"]?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
                if (tool["strict"] is JsonValue strict && strict.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                {
                    function["strict"] = strict.DeepClone();
                }
                translated.Add(new JsonObject { ["type"] = "function", ["function"] = function });
            }
            if (translated.Count > 0)
            {
                body["tools"] = translated;
            }
        }
        else if (tools is not (null or JsonArray) && tools.GetValueKind() != JsonValueKind.Null)
        {
            return ApiErrors.Invalid("tools", "'tools' must be an array.");
        }
        switch (choice)
        {
            case null:
                return null;
            case JsonValue when String(choice) is "auto" or "none" or "required":
                body["tool_choice"] = choice.DeepClone();
                return null;
            case JsonObject named when String(named["type"]) == "function" && String(named["name"]) is { } name:
                body["tool_choice"] = new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } };
                return null;
            case JsonObject builtIn when String(builtIn["type"]) is { } type and not "function":
                untranslatable.Add(("tool_choice", $"tool_choice of type '{type}'"));
                return null;
            default:
                return ApiErrors.Invalid("tool_choice", "'tool_choice' must be 'auto', 'none', 'required', {\"type\":\"function\",\"name\":…} or a built-in tool's {\"type\":…}.");
        }
    }

    private static ApiError? AddFormat(JsonObject body, JsonNode? format)
    {
        if (format is not (null or JsonObject))
        {
            return InvalidFormat();
        }
        switch (String(format?["type"]))
        {
            case null or "text":
                return null;
            case "json_object":
                body["response_format"] = new JsonObject { ["type"] = "json_object" };
                return null;
            case "json_schema" when String(format!["name"]) is { } name && format["schema"] is JsonObject schema:
                var definition = new JsonObject { ["name"] = name, ["schema"] = schema.DeepClone() };
                foreach (var field in (string[])["description", "strict"])
                {
                    if (format[field] is { } value)
                    {
                        definition[field] = value.DeepClone();
                    }
                }
                body["response_format"] = new JsonObject { ["type"] = "json_schema", ["json_schema"] = definition };
                return null;
            default:
                return InvalidFormat();
        }
    }

    private static ApiError InvalidFormat() =>
        ApiErrors.Invalid("text.format", "'text.format' must be text, json_object, or json_schema with a 'name' and a 'schema'.");
}
