namespace LlmRouter.Grains.Limits;

/// <summary>Names of the store rows that hold grain state; the grain's identity is part of every name.</summary>
internal static class WindowKeys
{
    public static string ModelRequests(string modelId) => "model:" + modelId + ":requests";

    public static string ModelTokens(string modelId) => "model:" + modelId + ":tokens";

    public static string KeyRequests(string keyId) => "key:" + keyId + ":requests";

    public static string KeyTokens(string keyId) => "key:" + keyId + ":tokens";
}
