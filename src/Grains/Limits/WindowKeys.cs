namespace LlmRouter.Grains.Limits;

/// <summary>
/// The names of a grain's two windows in its state (the grain's identity is part of each) and how refusals name the
/// grain; made once per activation, as every admission uses them.
/// </summary>
internal sealed record WindowKeys(string Id, string Requests, string Tokens, string Scope)
{
    public static WindowKeys Model(string modelId) => new(modelId, "model:" + modelId + ":requests", "model:" + modelId + ":tokens", "model " + modelId);

    public static WindowKeys Key(string keyId) => new(keyId, "key:" + keyId + ":requests", "key:" + keyId + ":tokens", "this API key");
}
