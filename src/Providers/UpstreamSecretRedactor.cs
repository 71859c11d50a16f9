namespace LlmRouter.Providers;

/// <summary>
/// Takes secrets out of what an upstream says when it fails, before the text is answered or logged: an upstream
/// (or a proxy in front of it) that echoes the credentials it received must not hand a provider's key to a user key.
/// The secrets are the call's own key, every configured provider's and API key's value, the router's own
/// <c>LLM_ROUTER_*</c> secrets and the database password, and any variable whose name says it holds a secret.
/// </summary>
public sealed class UpstreamSecretRedactor
{
    public const string Mask = "[redacted]";

    // Shorter values are too likely to be ordinary words or numbers of an error message.
    private const int MinimumSecretLength = 8;

    private static readonly string[] SecretNameParts = ["KEY", "SECRET", "TOKEN", "PASSWORD", "PASSWD", "CREDENTIAL"];

    private readonly IRouterConfigSource _config;
    private readonly RouterEnvironment _environment;
    private volatile Snapshot? _snapshot;

    public UpstreamSecretRedactor(IRouterConfigSource config, RouterEnvironment environment)
    {
        _config = config;
        _environment = environment;
    }

    public UpstreamError Redact(UpstreamError error, string? callKey)
    {
        var message = Redact(error.Message, callKey);
        var raw = error.RawBody is { } body ? Redact(body, callKey) : null;
        return ReferenceEquals(message, error.Message) && ReferenceEquals(raw, error.RawBody) ? error : error with { Message = message, RawBody = raw };
    }

    /// <summary>The chunks as they come, with the error a stream may end on redacted.</summary>
    public async IAsyncEnumerable<ChatStreamChunk> Redact(
        IAsyncEnumerable<ChatStreamChunk> chunks, string? callKey, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return chunk.Error is { } error ? chunk with { Error = Redact(error, callKey) } : chunk;
        }
    }

    public string Redact(string text, string? callKey)
    {
        if (callKey is { Length: >= MinimumSecretLength } && text.Contains(callKey, StringComparison.Ordinal))
        {
            text = text.Replace(callKey, Mask, StringComparison.Ordinal);
        }
        foreach (var secret in Secrets())
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }
        return text;
    }

    private IReadOnlyList<string> Secrets()
    {
        var config = _config.Current;
        var snapshot = _snapshot;
        if (snapshot is null || !ReferenceEquals(snapshot.Config, config))
        {
            snapshot = new Snapshot(config, Collect(config));
            _snapshot = snapshot;
        }
        return snapshot.Secrets;
    }

    private string[] Collect(RouterConfig config)
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var provider in config.Providers)
        {
            Add(secrets, provider.ApiKey);
            Add(secrets, provider.ApiKeyEnv is { Length: > 0 } name ? _environment.Get(name) : null);
        }
        foreach (var key in config.ApiKeys)
        {
            Add(secrets, key.Key);
            Add(secrets, key.KeyEnv is { Length: > 0 } name ? _environment.Get(name) : null);
        }
        foreach (var name in _environment.Names)
        {
            if (SecretNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase)))
            {
                Add(secrets, _environment.Get(name));
            }
        }
        Add(secrets, DatabasePassword(config.Server.DatabaseUrl));
        // Longest first, so a secret that contains another is masked whole.
        return secrets.OrderByDescending(s => s.Length).ToArray();
    }

    private static void Add(HashSet<string> secrets, string? value)
    {
        if (value is { Length: >= MinimumSecretLength })
        {
            secrets.Add(value);
        }
    }

    private static string? DatabasePassword(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }
        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
    }

    private sealed record Snapshot(RouterConfig Config, string[] Secrets);
}
