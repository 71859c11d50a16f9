namespace LlmRouter.Providers;

/// <summary>Where each provider type lives by default, and how its chat URL is formed.</summary>
public static class ProviderEndpoints
{
    private static readonly Dictionary<string, string> DefaultBaseUrls = new(StringComparer.Ordinal)
    {
        [ProviderTypes.OpenAi] = "https://api.openai.com",
        [ProviderTypes.DeepSeek] = "https://api.deepseek.com",
        [ProviderTypes.Qwen] = "https://dashscope.aliyuncs.com/compatible-mode",
        [ProviderTypes.Kimi] = "https://api.moonshot.cn",
        [ProviderTypes.Glm] = "https://open.bigmodel.cn/api/paas",
        [ProviderTypes.OpenRouter] = "https://openrouter.ai/api",
        [ProviderTypes.Grok] = "https://api.x.ai",
        [ProviderTypes.Ollama] = "http://localhost:11434",
        [ProviderTypes.Vllm] = "http://localhost:8000",
        [ProviderTypes.Transformers] = "http://localhost:8080",
        [ProviderTypes.Claude] = "https://api.anthropic.com",
        [ProviderTypes.Anthropic] = "https://api.anthropic.com",
        [ProviderTypes.Gemini] = "https://generativelanguage.googleapis.com",
    };

    public static string? DefaultBaseUrl(string type) => DefaultBaseUrls.GetValueOrDefault(type);

    /// <summary>The base URL in force for a provider: its own, else its type's default.</summary>
    public static string BaseUrl(ProviderConfig provider) =>
        (provider.BaseUrl ?? DefaultBaseUrl(provider.Type)
            ?? throw new InvalidOperationException($"provider '{provider.Name}' has no base_url and type '{provider.Type}' has no default"))
        .TrimEnd('/');

    /// <summary>
    /// The chat-completions URL of an OpenAI-compatible provider. <c>settings.endpoint</c> overrides the path
    /// (or the whole URL when absolute); a base URL that already ends in a version segment (<c>/v1</c>,
    /// <c>/v4</c>) gets <c>/chat/completions</c>; GLM's API is versioned v4, the rest v1.
    /// </summary>
    public static Uri OpenAiChatUrl(ProviderConfig provider)
    {
        var baseUrl = BaseUrl(provider);
        return EndpointUrl(baseUrl, provider.Setting("endpoint")) ?? OpenAiUrl(provider, baseUrl, "chat/completions");
    }

    /// <summary>The embeddings URL of an OpenAI-compatible provider: <c>/embeddings</c> beside chat completions (<c>settings.endpoint</c> names chat's only).</summary>
    public static Uri OpenAiEmbeddingsUrl(ProviderConfig provider) => OpenAiUrl(provider, BaseUrl(provider), "embeddings");

    /// <summary>A path of the OpenAI API under the base URL, its version segment added unless the base URL ends in one.</summary>
    private static Uri OpenAiUrl(ProviderConfig provider, string baseUrl, string path)
    {
        if (EndsWithVersionSegment(baseUrl))
        {
            return new Uri($"{baseUrl}/{path}");
        }
        var version = provider.Type == ProviderTypes.Glm ? "v4" : "v1";
        return new Uri($"{baseUrl}/{version}/{path}");
    }

    /// <summary>
    /// The URL of a non-OpenAI API: <c>settings.endpoint</c> when set and <paramref name="endpointApplies"/> (a
    /// path, or a whole URL), else
    /// <paramref name="path"/> under the base URL, whose leading version segment (<c>/v1</c>) is dropped when the
    /// base URL already ends in a version segment.
    /// </summary>
    public static Uri ApiUrl(ProviderConfig provider, string path, bool endpointApplies = true)
    {
        var baseUrl = BaseUrl(provider);
        if (EndpointUrl(baseUrl, endpointApplies ? provider.Setting("endpoint") : null) is { } endpoint)
        {
            return endpoint;
        }
        if (EndsWithVersionSegment(baseUrl) && path.StartsWith("/v", StringComparison.Ordinal))
        {
            var next = path.IndexOf('/', 1);
            if (next > 0 && IsVersion(path.AsSpan(1, next - 1)))
            {
                path = path[next..];
            }
        }
        return new Uri(baseUrl + path);
    }

    /// <summary><c>settings.endpoint</c> as a URL: whole when absolute http(s), else a path under the base URL; null when unset.</summary>
    private static Uri? EndpointUrl(string baseUrl, string? endpoint)
    {
        if (string.IsNullOrEmpty(endpoint))
        {
            return null;
        }
        return Uri.TryCreate(endpoint, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? absolute
            : new Uri(baseUrl + "/" + endpoint.TrimStart('/'));
    }

    private static bool EndsWithVersionSegment(string url) => IsVersion(url.AsSpan(url.LastIndexOf('/') + 1));

    /// <summary><c>v1</c>, <c>v4</c>, <c>v1beta</c>, <c>v1alpha</c>.</summary>
    private static bool IsVersion(ReadOnlySpan<char> segment)
    {
        if (segment.Length < 2 || segment[0] != 'v' || !char.IsAsciiDigit(segment[1]))
        {
            return false;
        }
        var rest = segment[1..].TrimStart("0123456789");
        return rest.IsEmpty || rest.SequenceEqual("beta") || rest.SequenceEqual("alpha");
    }
}
