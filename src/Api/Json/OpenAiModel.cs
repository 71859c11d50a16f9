namespace LlmRouter.Api.Json;

/// <summary>One model in GET /v1/models: OpenAI's fields plus the router's display name, tags and capabilities.</summary>
public sealed record OpenAiModel(
    string Id,
    long Created,
    string OwnedBy,
    string? DisplayName,
    IReadOnlyList<string> Tags,
    ModelCapabilitiesView Capabilities,
    ModelPricingView Pricing)
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Serialized as an instance property.")]
    public string Object => "model";
}
