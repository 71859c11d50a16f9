using LlmRouter.Abstractions.Access;
using LlmRouter.Api.Auth.Keys;

namespace LlmRouter.Api.Apis;

/// <summary>How configured models are shown to clients.</summary>
internal static class ModelViews
{
    /// <summary>The models <paramref name="key"/> may call (all of them without a key: the caller was let in some other way).</summary>
    public static IEnumerable<ResolvedModel> Visible(IEnumerable<ResolvedModel> models, ApiKeyRecord? key) =>
        key is null ? models : models.Where(m => ApiKeyPolicy.CheckModel(key, m.Provider.Name, m.Id) is null);

    public static ModelCapabilitiesView Capabilities(ModelCapabilities c) => new(c.ContextWindow, c.SupportsVision, c.SupportsTools, c.Languages, c.SupportsEmbeddings);

    public static ModelPricingView Pricing(ModelCapabilities c) => new(c.CostPer1kTokens, c.CostPer1kCompletionTokens);

    public static OpenAiModel OpenAi(ResolvedModel m, long created) =>
        new(m.Id, created, m.Provider.Name, m.Model.DisplayName, m.Model.Tags, Capabilities(m.Model.Config), Pricing(m.Model.Config));

    public static ModelView Native(ResolvedModel m) =>
        new(m.Id, m.Model.Name, m.Provider.Name, m.Provider.Type, m.Model.DisplayName, m.Model.Tags, m.Model.IsActive,
            Capabilities(m.Model.Config), Pricing(m.Model.Config));
}
