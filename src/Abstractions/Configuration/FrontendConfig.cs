namespace LlmRouter.Abstractions.Configuration;

/// <summary>The [frontend] table from the seeds; kept for compatibility with their router.toml files.</summary>
public sealed record FrontendConfig
{
    public int Port { get; init; } = 3000;
    public string ApiUrl { get; init; } = "http://localhost:8000";
    public string ApiBaseUrl { get; init; } = "/api";
}
