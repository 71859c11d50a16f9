using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Access;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.Auth;
using LlmRouter.Api.ClientFormats;
using LlmRouter.Api.ClientFormats.Anthropic;
using LlmRouter.Api.ClientFormats.Native;
using LlmRouter.Api.ClientFormats.OpenAi;
using LlmRouter.Api.Pipeline;

namespace LlmRouter.Api.Tests.Pipeline;

/// <summary>
/// The parse step of each front door's client protocol: what the pipeline gets to route (the canonical body, the name
/// asked for, whether it binds the session, the native request, the tags), or the error it answers with.
/// </summary>
public sealed class ClientProtocolTests
{
    [Fact]
    public void OpenAi_takes_the_model_from_the_url_over_the_body()
    {
        var (request, error) = new OpenAiProtocol("alpha/a").Parse(Chat("model", "beta/b"), Call());

        Assert.Null(error);
        Assert.Equal(("alpha/a", true, null), (request!.Requested, request.NamesModel, request.Native));
    }

    [Fact]
    public void OpenAi_falls_back_to_the_sessions_model_which_it_does_not_bind_again()
    {
        var call = Call();
        call.Access = call.Access with { Session = new SessionRecord { Id = "s1", TokenHash = "h", ApiKeyId = "k1", CreatedAt = DateTimeOffset.UnixEpoch, ExpiresAt = DateTimeOffset.MaxValue, BoundModel = "alpha/c" } };

        var (request, error) = OpenAiProtocol.FromBody.Parse(Chat(), call);

        Assert.Null(error);
        Assert.Equal(("alpha/c", false), (request!.Requested, request.NamesModel));
    }

    [Fact]
    public void OpenAi_without_a_model_anywhere_is_a_400_naming_model()
    {
        var (request, error) = OpenAiProtocol.FromBody.Parse(Chat(), Call());

        Assert.Null(request);
        Assert.Equal((400, "model"), (error!.Status, error.Param));
    }

    [Fact]
    public void Anthropic_keeps_the_clients_request_for_anthropic_upstreams_and_restricts_what_only_they_understand()
    {
        var http = PipelineKit.Request();
        http.Request.Headers["anthropic-beta"] = "tools-2024";
        var body = JsonNode.Parse("""
            {"model":"beta/b","max_tokens":100,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]}
            """)!.AsObject();

        var (request, error) = AnthropicProtocol.Instance.Parse(body, new ChatCall(http, AnthropicProtocol.Instance));

        Assert.Null(error);
        Assert.Equal(("beta/b", true), (request!.Requested, request.NamesModel));
        Assert.Same(body, request.Native!.Body);
        Assert.Equal([KeyValuePair.Create("anthropic-beta", "tools-2024")], request.Native.Headers);
        Assert.Equal(WireApis.Anthropic, request.Restriction!.WireApi);
        var gamma = new ResolvedModel(new ModelConfig { Name = "g", Provider = "gamma" }, new ProviderConfig { Name = "gamma", Type = "openai" });
        Assert.Contains("document block", request.Restriction.Refusal(gamma).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Native_invoke_turns_a_prompt_and_parameters_into_the_canonical_body()
    {
        var input = JsonNode.Parse("""{"prompt":"Hi","parameters":{"temperature":0.2,"stream":true}}""")!.AsObject();

        var (request, error) = new NativeInvokeProtocol("alpha/a").Parse(input, Call());

        Assert.Null(error);
        Assert.Equal("""{"model":"alpha/a","messages":[{"role":"user","content":"Hi"}],"temperature":0.2}""", request!.Body.ToJsonString());
        Assert.Equal(("alpha/a", true), (request.Requested, request.NamesModel));
        Assert.Null(new NativeInvokeProtocol("alpha/a").OpenStream(new ChatCall(PipelineKit.Request(), AnthropicProtocol.Instance) { Request = request }));
    }

    [Fact]
    public void Route_invoke_reads_the_tags_and_refuses_a_missing_query()
    {
        var input = JsonNode.Parse("""{"query":{"tags":["fast"],"provider_types":["openai"]},"request":{"prompt":"Hi"}}""")!.AsObject();

        var (request, error) = RouteInvokeProtocol.Instance.Parse(input, Call());

        Assert.Null(error);
        Assert.Equal(["fast"], request!.Tags!.Tags);
        Assert.Equal(["openai"], request.Tags.ProviderTypes);
        Assert.Equal((null, false), (request.Requested, request.NamesModel));

        var (_, missing) = RouteInvokeProtocol.Instance.Parse(JsonNode.Parse("""{"request":{"prompt":"Hi"}}""")!.AsObject(), Call());
        Assert.Equal((400, "query"), (missing!.Status, missing.Param));
    }

    private static JsonObject Chat(string? field = null, string? value = null)
    {
        var body = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }) };
        if (field is not null)
        {
            body[field] = value;
        }
        return body;
    }

    private static ChatCall Call() =>
        new(PipelineKit.Request(), OpenAiProtocol.FromBody) { Access = new CallerAccess { Identity = CallerIdentity.Anonymous } };
}
