namespace LlmRouter.Providers.Wire;

/// <summary>Turns the body an adapter built into the bytes that go upstream, after the model's <c>rewrite_body</c>.</summary>
public static class WireBody
{
    /// <summary>
    /// Serializes <paramref name="body"/> with the model's rewrite applied. The canonical body is shared with the
    /// invocation log and with retries, so <paramref name="owned"/> false makes the rewrite work on a copy.
    /// </summary>
    public static byte[] Serialize(JsonObject body, ModelConfig model, bool owned)
    {
        if (model.RewriteBody is { } patch)
        {
            if (!owned)
            {
                body = (JsonObject)body.DeepClone();
            }
            JsonMergePatch.Apply(body, patch);
        }
        return JsonBytes.Of(body);
    }
}
