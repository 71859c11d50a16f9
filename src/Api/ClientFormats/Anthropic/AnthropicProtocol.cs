using System.Text;
using LlmRouter.Api.Chat.Pipelines;
using LlmRouter.Api.ClientFormats.OpenAi;
using LlmRouter.Api.Pipeline;

namespace LlmRouter.Api.ClientFormats.Anthropic;

/// <summary>
/// Anthropic's Messages API: the request is translated to the canonical body; an Anthropic upstream gets the client's
/// request itself and its answer goes back verbatim. Answers, events and errors are Anthropic's.
/// </summary>
public sealed class AnthropicProtocol : IClientProtocol
{
    public static AnthropicProtocol Instance { get; } = new();

    /// <summary>Client headers an Anthropic upstream should see as well.</summary>
    private static readonly string[] ForwardedHeaders = ["anthropic-beta"];

    public string Format => ClientFormatNames.Anthropic;

    public (ChatRequest? Request, ApiError? Error) Parse(JsonObject body, ChatCall call)
    {
        var (translation, invalid) = AnthropicRequestTranslator.Translate(body);
        if (invalid is not null)
        {
            return (null, invalid);
        }
        var requested = translation!.Body["model"]!.GetValue<string>();
        return (new ChatRequest(translation.Body)
        {
            Requested = requested,
            NamesModel = true,
            Native = new NativeRequest(WireApis.Anthropic, body) { Headers = Forwarded(call.Http.Request) },
            // What only Anthropic understands can go to Anthropic-API candidates only.
            Restriction = translation.Untranslatable.Count == 0 ? null : new CandidateRestriction(WireApis.Anthropic, _ => AnthropicErrors.Invalid(
                $"model '{requested}' is not served through Anthropic's API, and this request uses what only Anthropic understands: {string.Join(", ", translation.Untranslatable.Distinct())}")),
        }, null);
    }

    public Task WriteErrorAsync(HttpContext http, ApiError error) => AnthropicErrors.WriteAsync(http, error);

    public IStreamEncoder? OpenStream(ChatCall call)
    {
        var request = call.Request!;
        if (request.Body["stream"] is null)
        {
            return null;
        }
        OpenAiStreamEncoder.RequestUsage(request.Body);
        return new AnthropicStreamEncoder(request.Requested!);
    }

    public Task WriteAnswerAsync(ChatCall call, CompletedCall completed)
    {
        var result = completed.Result;
        var passthrough = result.RawUpstreamApi == WireApis.Anthropic && result.RawUpstream is not null
            && ResponsePipelines.Resolve(call.Invocation!.EffectivePipeline) is null;
        var answer = passthrough
            ? Encoding.UTF8.GetBytes(result.RawUpstream!)
            : AnthropicMessageWriter.Write(result.Body, result.Usage ?? default);
        return JsonAnswer.WriteAsync(call.Http, answer);
    }

    private static KeyValuePair<string, string>[] Forwarded(HttpRequest request) =>
        ForwardedHeaders
            .Where(name => request.Headers.ContainsKey(name))
            .Select(name => KeyValuePair.Create(name, request.Headers[name].ToString()))
            .ToArray();
}
