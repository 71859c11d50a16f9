using System.Security.Cryptography;
using System.Text;
using LlmRouter.Abstractions.Access;

namespace LlmRouter.Api.Auth.Keys;

/// <summary>
/// Hashes client secrets (API keys, session tokens) with HMAC-SHA256 under a deployment-wide pepper: the
/// LLM_ROUTER_SECRET_PEPPER variable when set, else a random pepper the first node stores for every node.
/// </summary>
public sealed class SecretHasher(IDeploymentSecretStore store, RouterEnvironment environment)
{
    public const string PepperVariable = "LLM_ROUTER_SECRET_PEPPER";
    private const string PepperName = "secret_pepper";

    private readonly Lock _gate = new();
    private Task<byte[]>? _pepper;

    public async ValueTask<string> HashAsync(string secret, CancellationToken cancellationToken = default)
    {
        var pepper = await PepperAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(HMACSHA256.HashData(pepper, Encoding.UTF8.GetBytes(secret)));
    }

    private Task<byte[]> PepperAsync()
    {
        lock (_gate)
        {
            // A failed load is not kept: the next call tries the store again.
            if (_pepper is null || _pepper.IsFaulted || _pepper.IsCanceled)
            {
                _pepper = LoadAsync();
            }
            return _pepper;
        }
    }

    private async Task<byte[]> LoadAsync()
    {
        if (environment.Get(PepperVariable) is { Length: > 0 } configured)
        {
            return Encoding.UTF8.GetBytes(configured);
        }
        var candidate = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var stored = await store.GetOrAddAsync(PepperName, candidate).ConfigureAwait(false);
        return Convert.FromBase64String(stored);
    }
}
