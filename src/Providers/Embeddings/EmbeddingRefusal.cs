namespace LlmRouter.Providers.Embeddings;

/// <summary>The 400 of an embeddings call to an upstream whose API has none (Anthropic): nothing is sent.</summary>
internal static class EmbeddingRefusal
{
    public static UpstreamError NoApi(UpstreamCall call) => new TranslationFailure(
        $"provider '{call.ProviderName}' speaks the {ProviderApis.Of(call.Request.Model.Provider)} API, which has no embeddings.").ToError();
}
