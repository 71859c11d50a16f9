using System.Buffers.Text;
using System.Security.Cryptography;

namespace LlmRouter.Api.Auth.Keys;

/// <summary>Random secrets and ids: API keys, 256-bit session tokens and the public ids of keys and sessions.</summary>
public static class SecretTokens
{
    /// <summary>Starts every session token, so a presented credential is looked up in the right place first.</summary>
    public const string SessionPrefix = "lrs_";

    public const string DefaultKeyPrefix = "sk";

    public static string NewApiKey(string prefix) => $"{prefix}-{Random(32)}";

    public static string NewSessionToken() => SessionPrefix + Random(32);

    public static string NewKeyId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string NewSessionId() => "ses_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static string Random(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
