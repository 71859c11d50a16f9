namespace LlmRouter.Providers.Wire;

/// <summary>
/// JSON Merge Patch (RFC 7386), used for a model's <c>rewrite_body</c>: objects merge key by key, null removes a
/// key, anything else replaces it.
/// </summary>
public static class JsonMergePatch
{
    public static void Apply(JsonObject target, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var property in patch.EnumerateObject())
        {
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                target.Remove(property.Name);
            }
            else if (value.ValueKind == JsonValueKind.Object)
            {
                if (target[property.Name] is not JsonObject inner)
                {
                    inner = [];
                    target[property.Name] = inner;
                }
                Apply(inner, value);
            }
            else
            {
                target[property.Name] = JsonNode.Parse(value.GetRawText());
            }
        }
    }
}
