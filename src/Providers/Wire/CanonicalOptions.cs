namespace LlmRouter.Providers.Wire;

/// <summary>
/// Reads the options of a canonical (OpenAI chat) body that translating request builders all need: the token
/// limit, stop sequences, numeric sampling values, function tools, the tool choice and the response format.
/// </summary>
internal static class CanonicalOptions
{
    /// <summary><c>max_completion_tokens</c>, else the older <c>max_tokens</c>.</summary>
    public static long? MaxTokens(JsonObject canonical) =>
        JsonRead.Long(canonical["max_completion_tokens"]) ?? JsonRead.Long(canonical["max_tokens"]);

    /// <summary><c>stop</c> as an array (OpenAI also takes a single string), or null.</summary>
    public static JsonArray? StopSequences(JsonObject canonical) => canonical["stop"] switch
    {
        JsonValue stop when JsonRead.String(stop) is { } single => new JsonArray(single),
        JsonArray stops => (JsonArray)stops.DeepClone(),
        _ => null,
    };

    /// <summary>Copies a number under another name; anything else is left out.</summary>
    public static void CopyNumber(JsonObject from, string name, JsonObject to, string target)
    {
        if (from[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            to[target] = value.DeepClone();
        }
    }

    /// <summary>
    /// The function tools (other tool types are left out) as declarations: name, description when given, and the
    /// parameters schema as <paramref name="schema"/> writes it under <paramref name="schemaKey"/> (left out when it
    /// gives null). Null when there is no tool list.
    /// </summary>
    public static JsonArray? FunctionDeclarations(JsonObject canonical, string schemaKey, Func<JsonObject?, JsonNode?> schema)
    {
        if (canonical["tools"] is not JsonArray list)
        {
            return null;
        }
        var declarations = new JsonArray();
        foreach (var tool in list)
        {
            if (JsonRead.String(JsonRead.Member(tool, "type")) != "function" || tool!["function"] is not JsonObject function)
            {
                continue;
            }
            var declaration = new JsonObject { ["name"] = JsonRead.String(function["name"]) ?? "" };
            if (JsonRead.String(function["description"]) is { } description)
            {
                declaration["description"] = description;
            }
            if (schema(function["parameters"] as JsonObject) is { } written)
            {
                declaration[schemaKey] = written;
            }
            declarations.Add(declaration);
        }
        return declarations;
    }

    /// <summary><c>tool_choice</c>: auto, required, none, or one function by name; null when absent or unknown.</summary>
    public static CanonicalToolChoice? ToolChoice(JsonObject canonical)
    {
        var choice = canonical["tool_choice"];
        return JsonRead.String(choice) switch
        {
            "auto" => new CanonicalToolChoice(ToolChoiceMode.Auto, null),
            "required" => new CanonicalToolChoice(ToolChoiceMode.Required, null),
            "none" => new CanonicalToolChoice(ToolChoiceMode.None, null),
            _ when JsonRead.String(JsonRead.Member(JsonRead.Member(choice, "function"), "name")) is { } name => new CanonicalToolChoice(ToolChoiceMode.Function, name),
            _ => null,
        };
    }

    /// <summary><c>response_format</c>'s JSON type (<c>json_object</c> or <c>json_schema</c>, else null) and its schema when one is given.</summary>
    public static (string? Type, JsonObject? Schema) ResponseFormat(JsonObject canonical)
    {
        var format = canonical["response_format"];
        return JsonRead.String(JsonRead.Member(format, "type")) switch
        {
            "json_object" => ("json_object", null),
            "json_schema" => ("json_schema", JsonRead.Member(JsonRead.Member(format, "json_schema"), "schema") as JsonObject),
            _ => (null, null),
        };
    }
}

/// <summary>How the client lets the model use tools; <see cref="Name"/> is set for <see cref="ToolChoiceMode.Function"/>.</summary>
internal sealed record CanonicalToolChoice(ToolChoiceMode Mode, string? Name);

/// <summary>The tool choices OpenAI clients can make.</summary>
internal enum ToolChoiceMode
{
    Auto,
    Required,
    None,
    Function,
}
