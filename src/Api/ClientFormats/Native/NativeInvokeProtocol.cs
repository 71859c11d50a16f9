using LlmRouter.Api.Chat;
using LlmRouter.Api.Pipeline;

namespace LlmRouter.Api.ClientFormats.Native;

/// <summary>
/// POST /models/{model}/invoke, the seeds' invoke format (<see cref="NativeInvokeBody"/>) for a model or group named
/// in the URL; answers text, usage and the raw response (<see cref="InvokeAnswer"/>), never a stream.
/// </summary>
public sealed class NativeInvokeProtocol(string modelId) : IClientProtocol
{
    public string Format => ClientFormatNames.Native;

    public (ChatRequest? Request, ApiError? Error) Parse(JsonObject body, ChatCall call)
    {
        if (NativeInvokeBody.ToChatBody(body, modelId) is not { } chat)
        {
            return (null, ApiErrors.Invalid("prompt", "Give either a string 'prompt' or a non-empty 'messages' array, and 'parameters' as an object."));
        }
        return ChatBodyReader.ValidateChat(chat, modelRequired: false) is { } invalid
            ? (null, invalid)
            : (new ChatRequest(chat) { Requested = modelId, NamesModel = true }, null);
    }

    public Task WriteErrorAsync(HttpContext http, ApiError error) => ErrorWriter.WriteAsync(http, error);

    public IStreamEncoder? OpenStream(ChatCall call) => null;

    public async Task WriteAnswerAsync(ChatCall call, CompletedCall completed)
    {
        var answer = InvokeAnswer.Build(completed.Result, completed.ServedBy, completed.LatencyMs);
        call.Http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(call.Http.Response.Body, answer, ApiJsonContext.Default.InvokeResponse, call.Http.RequestAborted).ConfigureAwait(false);
    }
}
