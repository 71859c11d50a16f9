namespace LlmRouter.Api.ClientFormats.Native;

/// <summary>The seeds' invoke format: <c>prompt</c> or <c>messages</c>, plus <c>parameters</c>.</summary>
internal static class NativeInvokeBody
{
    /// <summary>The canonical chat body of an invoke request, or null when the input is not one.</summary>
    public static JsonObject? ToChatBody(JsonObject input, string upstreamModel)
    {
        JsonArray messages;
        if (input["messages"] is JsonArray given)
        {
            messages = (JsonArray)given.DeepClone();
        }
        else if (input["prompt"] is JsonValue prompt && prompt.GetValueKind() == JsonValueKind.String)
        {
            messages = [new JsonObject { ["role"] = "user", ["content"] = prompt.GetValue<string>() }];
        }
        else
        {
            return null;
        }
        var body = new JsonObject { ["model"] = upstreamModel, ["messages"] = messages };
        if (input["parameters"] is { } parameters)
        {
            if (parameters is not JsonObject values)
            {
                return null;
            }
            foreach (var (name, value) in values)
            {
                if (name is not ("model" or "messages" or "stream" or "stream_options"))
                {
                    body[name] = value?.DeepClone();
                }
            }
        }
        return body;
    }
}
