using System.Security.Cryptography;
using System.Text;

namespace LlmRouter.Abstractions.LocalModels;

/// <summary>
/// The key of a <see cref="ILocalModelGrain"/>: <c>model id|slot</c>. A session's slot is a hash of the session, so
/// its calls share one activation; calls without a session spread over <see cref="SharedSlots"/> slots.
/// </summary>
public static class LocalModelGrainKey
{
    /// <summary>How many activations a model's calls without a session are spread over.</summary>
    public const int SharedSlots = 4;

    private const char Separator = '|';

    public static string For(string modelId, string? session) =>
        modelId + Separator + (string.IsNullOrEmpty(session)
            ? "shared-" + Random.Shared.Next(SharedSlots).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(session)))[..16]);

    /// <summary>The model id a key names.</summary>
    public static string ModelId(string key) => key.LastIndexOf(Separator) is var at and >= 0 ? key[..at] : key;
}
