using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Abstractions.Upstream;

/// <summary>A configured model together with the provider that serves it.</summary>
public sealed record ResolvedModel(ModelConfig Model, ProviderConfig Provider)
{
    public string Id => Model.Id;
}
