namespace LlmRouter.Api.Chat;

/// <summary>
/// Type and range checks for the message roles, contents and sampling parameters of a chat request, with OpenAI's
/// bounds, so a malformed call is refused here with a 400 naming the field instead of costing an upstream round trip.
/// </summary>
internal static class ChatParameterRules
{
    private static readonly string[] Roles = ["system", "user", "assistant", "tool", "developer", "function"];

    private static readonly (string Name, long Min, long Max)[] Integers =
    [
        ("max_tokens", 1, int.MaxValue),
        ("max_completion_tokens", 1, int.MaxValue),
        ("n", 1, 128),
    ];

    private static readonly (string Name, double Min, double Max)[] Numbers =
    [
        ("temperature", 0, 2),
        ("top_p", 0, 1),
        ("presence_penalty", -2, 2),
        ("frequency_penalty", -2, 2),
    ];

    /// <summary>The first problem with a message's role or content; the role is already known to be a string.</summary>
    public static ApiError? Message(JsonObject message, int index)
    {
        var role = message["role"]!.GetValue<string>();
        if (Array.IndexOf(Roles, role) < 0)
        {
            return ApiErrors.Invalid($"messages[{index}].role", $"'messages[{index}].role' must be one of {string.Join(", ", Roles)}.");
        }
        if (message["content"] is { } content && content.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Array or JsonValueKind.Null))
        {
            return ApiErrors.Invalid($"messages[{index}].content", $"'messages[{index}].content' must be a string or an array of content parts.");
        }
        return null;
    }

    /// <summary>The first sampling parameter of the wrong type or out of range; null (the API's "unset") is accepted.</summary>
    public static ApiError? Parameters(JsonObject body)
    {
        foreach (var (name, min, max) in Integers)
        {
            if (body[name] is { } node && node.GetValueKind() != JsonValueKind.Null
                && (node is not JsonValue value || !value.TryGetValue(out long number) || number < min || number > max))
            {
                return ApiErrors.Invalid(name, $"'{name}' must be an integer from {min} to {max}.");
            }
        }
        foreach (var (name, min, max) in Numbers)
        {
            if (body[name] is { } node && node.GetValueKind() != JsonValueKind.Null
                && (node is not JsonValue value || !value.TryGetValue(out double number) || !double.IsFinite(number) || number < min || number > max))
            {
                return ApiErrors.Invalid(name, $"'{name}' must be a number from {min} to {max}.");
            }
        }
        if (body["stream_options"]?["include_usage"] is { } usage && usage.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            return ApiErrors.Invalid("stream_options.include_usage", "'stream_options.include_usage' must be a boolean.");
        }
        return null;
    }
}
