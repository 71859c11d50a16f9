using LlmRouter.Providers.OpenAiCompatible;

namespace LlmRouter.Providers.Tests.OpenAiCompatible;

public sealed class OpenAiChatProtocolTests
{
    private readonly OpenAiChatProtocol _protocol = new();

    private const string Canonical = """{"model":"gpt-x","messages":[{"role":"user","content":"hi"}],"temperature":0.5}""";

    [Fact]
    public async Task Request_goes_out_as_written_with_a_bearer_key_to_chat_completions()
    {
        using var request = _protocol.CreateRequest(Call(Provider(ProviderTypes.OpenAi), Canonical), stream: false);

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://api.openai.com/v1/chat/completions", request.RequestUri!.ToString());
        Assert.Equal("Bearer " + Key, Header(request, "Authorization"));
        Assert.Equal("application/json", Header(request, "Accept"));
        Assert.Equal(Compact(Canonical), await BodyOf(request));
    }

    [Fact]
    public void Stream_request_accepts_an_event_stream_and_no_key_sends_no_authorization()
    {
        using var request = _protocol.CreateRequest(Call(Provider(ProviderTypes.OpenAi), Canonical, key: null), stream: true);

        Assert.Equal("text/event-stream", Header(request, "Accept"));
        Assert.Null(Header(request, "Authorization"));
    }

    [Theory]
    [InlineData(ProviderTypes.Glm, null, "https://open.bigmodel.cn/api/paas/v4/chat/completions")]
    [InlineData(ProviderTypes.Vllm, "http://gpu:8000/v1", "http://gpu:8000/v1/chat/completions")]
    [InlineData(ProviderTypes.DeepSeek, "https://api.deepseek.com/", "https://api.deepseek.com/v1/chat/completions")]
    public void Url_follows_the_type_and_the_base_url(string type, string? baseUrl, string expected)
    {
        using var request = _protocol.CreateRequest(Call(Provider(type, baseUrl), Canonical), stream: false);

        Assert.Equal(expected, request.RequestUri!.ToString());
    }

    [Fact]
    public void Endpoint_setting_replaces_the_path()
    {
        using var request = _protocol.CreateRequest(Call(Provider(ProviderTypes.OpenAi, "http://h:1", ("endpoint", "/custom/chat")), Canonical), stream: false);

        Assert.Equal("http://h:1/custom/chat", request.RequestUri!.ToString());
    }

    [Fact]
    public async Task Rewrite_body_patches_what_is_sent_but_not_the_canonical_body()
    {
        var call = Call(Provider(ProviderTypes.OpenAi), Canonical, rewriteBody: """{"temperature":null,"extra":{"a":1}}""");

        using var request = _protocol.CreateRequest(call, stream: false);

        Assert.Equal("""{"model":"gpt-x","messages":[{"role":"user","content":"hi"}],"extra":{"a":1}}""", await BodyOf(request));
        Assert.Equal(Compact(Canonical), call.Request.Body.ToJsonString());
    }

    [Fact]
    public void Answer_is_kept_as_is_with_its_usage_and_finish_reason()
    {
        var body = Bytes("""{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"yo"},"finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}""");

        var result = _protocol.ReadAnswer(body, Call(Provider(ProviderTypes.OpenAi), Canonical), 0);

        Assert.NotNull(result);
        Assert.Equal(body, result.Body.ToArray());
        Assert.Equal(new TokenUsage(3, 4), result.Usage);
        Assert.Equal("length", result.FinishReason);
        Assert.Null(result.RawUpstream);
    }

    [Fact]
    public void Body_that_is_no_json_object_reads_as_none()
    {
        Assert.Null(_protocol.ReadAnswer(Bytes("[1]"), Call(Provider(ProviderTypes.OpenAi), Canonical), 0));
        Assert.Null(_protocol.ReadAnswer(Bytes("<html>"), Call(Provider(ProviderTypes.OpenAi), Canonical), 0));
    }

    [Fact]
    public async Task A_choice_that_is_not_an_object_reads_as_no_choice_whole_or_streamed()
    {
        var body = Bytes("""{"id":"c1","object":"chat.completion","choices":[5],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}""");
        const string chunk = """{"id":"c","object":"chat.completion.chunk","choices":["x"]}""";
        const string finish = """{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""";

        var result = _protocol.ReadAnswer(body, Call(Provider(ProviderTypes.OpenAi), Canonical), 0);
        var chunks = await ReadStream(_protocol, Call(Provider(ProviderTypes.OpenAi), Canonical), $"data: {chunk}\n\ndata: {finish}\n\ndata: [DONE]\n\n");

        Assert.Equal(new TokenUsage(3, 4), result!.Usage);
        Assert.Null(result.FinishReason);
        Assert.Equal([chunk, finish], Texts(chunks));
        Assert.Null(chunks[0].ContentDelta);
        Assert.Null(chunks[0].FinishReason);
        Assert.Equal("stop", chunks[1].FinishReason);
    }

    [Fact]
    public async Task Stream_passes_chunks_on_and_stops_at_done()
    {
        const string chunk1 = """{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"He"},"finish_reason":null}]}""";
        const string chunk2 = """{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""";
        var body = $"data: {chunk1}\n\ndata: {chunk2}\n\ndata: [DONE]\n\ndata: {chunk1}\n\n";

        var chunks = await ReadStream(_protocol, Call(Provider(ProviderTypes.OpenAi), Canonical), body);

        Assert.Equal([chunk1, chunk2], Texts(chunks));
        Assert.Equal("He", chunks[0].ContentDelta);
        Assert.Equal("stop", chunks[1].FinishReason);
    }

    [Fact]
    public async Task Stream_that_ends_without_a_finish_reason_is_cut_short()
    {
        const string chunk = """{"id":"c","choices":[{"index":0,"delta":{"content":"He"},"finish_reason":null}]}""";

        var chunks = await ReadStream(_protocol, Call(Provider(ProviderTypes.OpenAi), Canonical), $"data: {chunk}\n\n");

        Assert.Equal([chunk, "error: provider 'p1' closed the stream before the answer was finished"], Texts(chunks));
        Assert.Equal(UpstreamErrorKind.Protocol, chunks[1].Error!.Kind);
    }

    [Fact]
    public async Task Stream_without_events_and_events_that_are_not_json_are_protocol_errors()
    {
        var empty = await ReadStream(_protocol, Call(Provider(ProviderTypes.OpenAi), Canonical), "");
        var broken = await ReadStream(_protocol, Call(Provider(ProviderTypes.OpenAi), Canonical), "data: {not json\n\n");

        Assert.Equal(["error: provider 'p1' answered a stream request without a single stream event"], Texts(empty));
        Assert.Equal(["error: provider 'p1' sent a chunk that is not JSON"], Texts(broken));
    }

    [Fact]
    public void Whole_answer_to_a_stream_request_becomes_delta_finish_and_usage_chunks()
    {
        var body = Bytes("""{"id":"c9","model":"m","created":5,"choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""");

        var chunks = _protocol.ReadWholeAnswerAsStream!(body);

        Assert.Equal(
        [
            """{"id":"c9","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"content":"ok","role":"assistant"},"logprobs":null,"finish_reason":null}]}""",
            """{"id":"c9","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""",
            """{"id":"c9","object":"chat.completion.chunk","created":5,"model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""",
        ], Texts(chunks!));
        Assert.True(chunks![2].IsUsageOnly);
        Assert.Null(_protocol.ReadWholeAnswerAsStream!(Bytes("""{"error":"x"}""")));
    }
}
