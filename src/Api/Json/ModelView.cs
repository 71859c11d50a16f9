namespace LlmRouter.Api.Json;

/// <summary>One model in the native GET /models listing.</summary>
public sealed record ModelView(
    string Id,
    string Name,
    string Provider,
    string ProviderType,
    string? DisplayName,
    IReadOnlyList<string> Tags,
    bool IsActive,
    ModelCapabilitiesView Capabilities,
    ModelPricingView Pricing);
