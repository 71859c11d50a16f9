namespace LlmRouter.Abstractions.Upstream;

/// <summary>Tells the state of each configured provider's circuit breaker.</summary>
public interface IProviderHealthSource
{
    IReadOnlyList<ProviderHealthReport> Report();
}
