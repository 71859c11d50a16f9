using LlmRouter.Api.Auth;
using System.Text;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.Anthropic;
using LlmRouter.Api.Chat;
using LlmRouter.Api.Chat.Pipelines;
using LlmRouter.Api.Errors;
using LlmRouter.Api.Limits;
using LlmRouter.Api.Monitoring;
using LlmRouter.Api.Routing;
using LlmRouter.Grains.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// The Anthropic-compatible front door, POST /v1/messages: any configured model answers in Anthropic's format.
/// The request is translated to the canonical body; an Anthropic upstream gets the client's request itself and
/// its answer goes back verbatim. Errors use Anthropic's shape.
/// </summary>
public static class AnthropicApi
{
    /// <summary>Client headers an Anthropic upstream should see as well.</summary>
    private static readonly string[] ForwardedHeaders = ["anthropic-beta"];

    public static IEndpointRouteBuilder MapAnthropicApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/messages", MessagesAsync).LogsRefusedCalls(ClientFormats.Anthropic);
        // Other Messages endpoints (count_tokens, batches) are not served; their clients still get Anthropic's error shape.
        // The rest is not empty, so another method on /v1/messages itself is left to the 405 of UnmatchedRoutes.
        app.Map("/v1/messages/{**rest:minlength(1)}", (HttpContext http) => AnthropicErrors.WriteAsync(http,
            new ApiError(404, "not_found_error", $"Not served by this router: {http.Request.Method} {http.Request.Path}")));
        return app;
    }

    /// <summary>POST /v1/messages. The key may come as <c>x-api-key</c> or <c>Authorization: Bearer</c> (checked by the auth layer).</summary>
    public static async Task MessagesAsync(HttpContext http, ModelCatalogSource catalog, ChatInvoker invoker, IRouterConfigSource config)
    {
        var (request, readError) = await ChatBodyReader.ReadObjectAsync(http.Request, config.Current.Server.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (readError is not null)
        {
            await AnthropicErrors.WriteAsync(http, readError).ConfigureAwait(false);
            return;
        }
        var (translation, invalid) = AnthropicRequestTranslator.Translate(request!);
        if (invalid is not null)
        {
            await AnthropicErrors.WriteAsync(http, invalid).ConfigureAwait(false);
            return;
        }
        var requestedModel = translation!.Body["model"]!.GetValue<string>();
        var route = http.RouteChat(requestedModel, translation.Body);
        if (route.First is null)
        {
            await AnthropicErrors.WriteAsync(http, ChatRouting.Error(route)).ConfigureAwait(false);
            return;
        }
        if (translation.Untranslatable.Count > 0)
        {
            // What only Anthropic understands can go to Anthropic-API candidates only.
            route = route with { Candidates = route.Candidates.Where(m => ProviderApis.Of(m.Provider) == WireApis.Anthropic).ToArray() };
        }
        if (route.First is not { } model)
        {
            await AnthropicErrors.WriteAsync(http, AnthropicErrors.Invalid(
                $"model '{requestedModel}' is not served through Anthropic's API, and this request uses what only Anthropic understands: {string.Join(", ", translation.Untranslatable.Distinct())}")).ConfigureAwait(false);
            return;
        }
        var native = route.Candidates.Any(m => ProviderApis.Of(m.Provider) == WireApis.Anthropic);
        var body = translation.Body;
        var denied = await ChatAccess.AuthorizeAsync(http, model, body, modelNamed: route.Named is not null, route.Named).ConfigureAwait(false)
            ?? (native ? ChatAccess.ClampNative(http, request!) : null);
        if (denied is not null)
        {
            await AnthropicErrors.WriteAsync(http, denied).ConfigureAwait(false);
            return;
        }
        body["model"] = model.Model.UpstreamName;
        var invocation = http.CreateInvocation(model, body, ClientFormats.Anthropic).Routed(route) with
        {
            Native = new NativeRequest(WireApis.Anthropic, request!) { Headers = Forwarded(http.Request) },
        };
        if (await LimitGate.AdmitAsync(http, invocation, AnthropicErrors.WriteAsync).ConfigureAwait(false) is not { } admitted)
        {
            return;
        }
        invocation = admitted;
        if (body["stream"] is not null)
        {
            OpenAiStreamEncoder.RequestUsage(body);
            await invoker.StreamAsync(http, invocation, new AnthropicStreamEncoder(requestedModel)).ConfigureAwait(false);
            return;
        }
        var result = await invoker.CompleteAsync(invocation, http.RequestAborted).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            await AnthropicErrors.WriteAsync(http, ApiErrors.FromUpstream(error)).ConfigureAwait(false);
            return;
        }
        var passthrough = result.RawUpstreamApi == WireApis.Anthropic && result.RawUpstream is not null
            && ResponsePipelines.Resolve(invocation.EffectivePipeline) is null;
        var answer = passthrough
            ? Encoding.UTF8.GetBytes(result.RawUpstream!)
            : AnthropicMessageWriter.Write(result.Body, result.Usage ?? default);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = answer.Length;
        await http.Response.Body.WriteAsync(answer, http.RequestAborted).ConfigureAwait(false);
    }

    private static KeyValuePair<string, string>[] Forwarded(HttpRequest request) =>
        ForwardedHeaders
            .Where(name => request.Headers.ContainsKey(name))
            .Select(name => KeyValuePair.Create(name, request.Headers[name].ToString()))
            .ToArray();
}
