using LlmRouter.Abstractions.Embeddings;
using LlmRouter.Api.Pipeline;

namespace LlmRouter.Api.ClientFormats.OpenAi;

/// <summary>
/// OpenAI's POST /v1/embeddings on the chat pipeline: the body (<c>model</c>, <c>input</c>, <c>encoding_format</c>,
/// <c>dimensions</c>, <c>user</c>) is checked here and goes upstream as OpenAI's request; only models that compute
/// embeddings (<see cref="Embeds"/>) are candidates. Answers are OpenAI's embeddings list, never streamed.
/// </summary>
public sealed class OpenAiEmbeddingsProtocol : IClientProtocol
{
    public static OpenAiEmbeddingsProtocol Instance { get; } = new();

    private static readonly string[] EncodingFormats = ["float", "base64"];

    public string Format => ClientFormatNames.OpenAi;

    /// <summary>
    /// A model computes embeddings when its <c>[models.config]</c> says <c>supports_embeddings = true</c> and its
    /// provider's API has embeddings (Anthropic's has none).
    /// </summary>
    public static bool Embeds(ResolvedModel model) =>
        model.Model.Config.SupportsEmbeddings && ProviderApis.Of(model.Provider) != WireApis.Anthropic;

    public (ChatRequest? Request, ApiError? Error) Parse(JsonObject body, ChatCall call)
    {
        var sessionModel = call.Access.Session?.BoundModel;
        var model = body["model"];
        if (model is null && sessionModel is null || model is not null && model.GetValueKind() != JsonValueKind.String)
        {
            return Invalid("model", "'model' must be the name of an embedding model.");
        }
        if (EmbeddingInput.Read(body["input"], out var problem) is not { } input)
        {
            return Invalid("input", problem!);
        }
        if (body["encoding_format"] is { } format && (format.GetValueKind() != JsonValueKind.String || !EncodingFormats.Contains(format.GetValue<string>())))
        {
            return Invalid("encoding_format", "'encoding_format' must be \"float\" or \"base64\".");
        }
        if (body["dimensions"] is { } dimensions && (dimensions is not JsonValue size || !size.TryGetValue(out int count) || count < 1))
        {
            return Invalid("dimensions", "'dimensions' must be a positive integer.");
        }
        if (body["user"] is { } user && user.GetValueKind() != JsonValueKind.String)
        {
            return Invalid("user", "'user' must be a string.");
        }
        var named = model?.GetValue<string>();
        return (new ChatRequest(body)
        {
            Requested = named ?? sessionModel,
            NamesModel = named is not null,
            Embedding = input,
            Restriction = new CandidateRestriction(WireApi: null, _ => NoEmbeddingModel(named ?? sessionModel!)) { Serves = Embeds },
        }, null);
    }

    public Task WriteErrorAsync(HttpContext http, ApiError error) => ErrorWriter.WriteAsync(http, error);

    public IStreamEncoder? OpenStream(ChatCall call) => null;

    public Task WriteAnswerAsync(ChatCall call, CompletedCall completed) => JsonAnswer.WriteAsync(call.Http, completed.Result.Body);

    private static ApiError NoEmbeddingModel(string requested) => new(400, "invalid_request_error",
        $"'{requested}' does not compute embeddings: a model does when its [models.config] says supports_embeddings = true "
        + "and its provider's API has embeddings (Anthropic's has none).", "model", "model_not_supported");

    private static (ChatRequest?, ApiError?) Invalid(string param, string message) => (null, ApiErrors.Invalid(param, message));
}
