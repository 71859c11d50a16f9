using LlmRouter.Api.Chat;
using LlmRouter.Api.Pipeline;
using LlmRouter.Grains.Catalog;

namespace LlmRouter.Api.ClientFormats.Native;

/// <summary>
/// POST /route/invoke, the seeds' tag routing: <c>{"query": {"tags", "provider_types"}, "request": {prompt|messages,
/// parameters}}</c>; answers the native invoke answer, naming the model that served, plus the route.
/// </summary>
public sealed class RouteInvokeProtocol : IClientProtocol
{
    public static RouteInvokeProtocol Instance { get; } = new();

    public string Format => ClientFormatNames.Native;

    public (ChatRequest? Request, ApiError? Error) Parse(JsonObject body, ChatCall call)
    {
        TagRoute tags;
        try
        {
            var fields = new JsonFields(body);
            var query = fields.Object("query") ?? throw new DefinitionException("query", "'query' is required: an object with 'tags' (and optionally 'provider_types').");
            tags = new TagRoute(query.StringList("tags") ?? [], query.StringList("provider_types") ?? []);
            query.RejectUnknown();
        }
        catch (DefinitionException exception)
        {
            return (null, ApiErrors.Invalid(exception.Param ?? "query", exception.Message));
        }
        if (body["request"] is not JsonObject request || NativeInvokeBody.ToChatBody(request, "") is not { } chat)
        {
            return (null, ApiErrors.Invalid("request", "'request' must be an object with a string 'prompt' or a non-empty 'messages' array, and 'parameters' as an object."));
        }
        return ChatBodyReader.ValidateChat(chat, modelRequired: false) is { } invalid
            ? (null, invalid)
            : (new ChatRequest(chat) { Tags = tags }, null);
    }

    public Task WriteErrorAsync(HttpContext http, ApiError error) => ErrorWriter.WriteAsync(http, error);

    public IStreamEncoder? OpenStream(ChatCall call) => null;

    public async Task WriteAnswerAsync(ChatCall call, CompletedCall completed)
    {
        var answer = InvokeAnswer.Build(completed.Result, completed.ServedBy, completed.LatencyMs);
        var tags = call.Request!.Tags!;
        var candidates = call.Route!.Candidates.Select(c => c.Id).ToArray();
        var route = new RouteView(tags.Tags, tags.ProviderTypes, candidates, Array.IndexOf(candidates, completed.ServedBy.Id) + 1);
        call.Http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(call.Http.Response.Body, answer with { Route = route }, RoutingJsonContext.Default.InvokeResponse, call.Http.RequestAborted).ConfigureAwait(false);
    }
}
