using LlmRouter.Abstractions.Embeddings;

namespace LlmRouter.Providers.Embeddings;

/// <summary>What the APIs that translate an OpenAI embeddings request read of it: its texts, dimensions and encoding.</summary>
internal sealed record EmbeddingCall(string[] Texts, int? Dimensions, string? EncodingFormat, EmbeddingInput Input)
{
    /// <summary>The call's request; throws <see cref="TranslationFailure"/> for token arrays, which <paramref name="api"/> does not take.</summary>
    public static EmbeddingCall Of(UpstreamCall call, string api)
    {
        var body = call.Request.Body;
        var input = EmbeddingInput.Read(body["input"], out var problem) ?? throw new TranslationFailure(problem!);
        if (input.Texts is not { } texts)
        {
            throw new TranslationFailure($"provider '{call.ProviderName}' ({api}) embeds texts only; 'input' holds token arrays.");
        }
        return new EmbeddingCall(texts, (int?)JsonRead.Long(body["dimensions"]), JsonRead.String(body["encoding_format"]), input);
    }

    /// <summary>The vectors an upstream answered, in OpenAI's shape, with its usage or else the estimate.</summary>
    public UpstreamChatResult? Answer(IReadOnlyList<float[]>? vectors, string model, TokenUsage? usage, string raw, string api)
    {
        if (vectors is null || vectors.Count != Texts.Length)
        {
            return null;
        }
        var body = OpenAiEmbeddingList.Write(vectors, model, usage ?? Input.EstimatedUsage, EncodingFormat);
        return new UpstreamChatResult { Body = body, Usage = usage, RawUpstream = raw, RawUpstreamApi = api };
    }
}
