using LlmRouter.Api.Chat;
using LlmRouter.Api.Pipeline;

namespace LlmRouter.Api.ClientFormats.OpenAi;

/// <summary>
/// OpenAI's chat completions: the body is the canonical body; the model comes from the URL (<see cref="PathModel"/>, for
/// model-specific URLs), else the body, else the caller's session. Answers and errors are OpenAI's.
/// </summary>
public sealed class OpenAiProtocol(string? pathModel = null) : IClientProtocol
{
    /// <summary>POST /v1/chat/completions: the model comes from the body.</summary>
    public static OpenAiProtocol FromBody { get; } = new();

    /// <summary>The model a model-specific URL names; it wins over the body's.</summary>
    public string? PathModel { get; } = pathModel;

    public string Format => ClientFormatNames.OpenAi;

    public (ChatRequest? Request, ApiError? Error) Parse(JsonObject body, ChatCall call)
    {
        var sessionModel = call.Access.Session?.BoundModel;
        if (ChatBodyReader.ValidateChat(body, modelRequired: PathModel is null && sessionModel is null) is { } invalid)
        {
            return (null, invalid);
        }
        var named = PathModel ?? body["model"]?.GetValue<string>();
        return (new ChatRequest(body) { Requested = named ?? sessionModel, NamesModel = named is not null }, null);
    }

    public Task WriteErrorAsync(HttpContext http, ApiError error) => ErrorWriter.WriteAsync(http, error);

    public IStreamEncoder? OpenStream(ChatCall call)
    {
        var body = call.Request!.Body;
        return body["stream"] is JsonValue stream && stream.GetValue<bool>() ? new OpenAiStreamEncoder(OpenAiStreamEncoder.RequestUsage(body)) : null;
    }

    public Task WriteAnswerAsync(ChatCall call, CompletedCall completed) => JsonAnswer.WriteAsync(call.Http, completed.Result.Body);
}
