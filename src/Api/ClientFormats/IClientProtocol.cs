using LlmRouter.Api.Pipeline;

namespace LlmRouter.Api.ClientFormats;

/// <summary>
/// What one chat front door adds to the shared <see cref="Pipeline.ChatPipeline"/>: how its client's body is read,
/// and how answers, streams and errors are written in its API's shape. Everything in between is the same for all.
/// </summary>
public interface IClientProtocol
{
    /// <summary>The client's API as the invocation log records it (one of <see cref="ClientFormatNames"/>).</summary>
    string Format { get; }

    /// <summary>The chat request in the client's JSON body, or why it is not one.</summary>
    (ChatRequest? Request, ApiError? Error) Parse(JsonObject body, ChatCall call);

    /// <summary>As <see cref="Parse"/>, for a protocol that must look something up first (a Responses request's earlier turns).</summary>
    ValueTask<(ChatRequest? Request, ApiError? Error)> ParseAsync(JsonObject body, ChatCall call) => ValueTask.FromResult(Parse(body, call));

    /// <summary>Answers with an error in the client API's shape.</summary>
    Task WriteErrorAsync(HttpContext http, ApiError error);

    /// <summary>The encoder of a streamed answer, or null when the client asked for one whole answer. Called once the call is admitted.</summary>
    IStreamEncoder? OpenStream(ChatCall call);

    /// <summary>Writes a successful whole answer.</summary>
    Task WriteAnswerAsync(ChatCall call, CompletedCall completed);
}
