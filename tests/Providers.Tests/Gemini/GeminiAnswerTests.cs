using LlmRouter.Providers.Gemini;

namespace LlmRouter.Providers.Tests.Gemini;

public sealed class GeminiAnswerTests
{
    private readonly GeminiProtocol _protocol = new();
    private readonly UpstreamCall _call = Call(Provider(ProviderTypes.Gemini), """{"model":"models/gemini-x","messages":[]}""");

    [Fact]
    public void Response_becomes_a_completion_with_function_calls_given_ids()
    {
        const string raw = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Checking."},{"functionCall":{"name":"get","args":{"city":"Paris"}}}]},"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":3,"totalTokenCount":12,"cachedContentTokenCount":4},"modelVersion":"gemini-x-001","responseId":"r1"}
            """;

        var result = _protocol.ReadAnswer(Bytes(raw), _call, 1700000000)!;

        Assert.Equal(Compact("""
            {"id":"r1","object":"chat.completion","created":1700000000,"model":"gemini-x-001","choices":[{"index":0,
              "message":{"role":"assistant","content":"Checking.","tool_calls":[{"id":"call_0","type":"function","function":{"name":"get","arguments":"{\"city\":\"Paris\"}"}}]},
              "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12,"prompt_tokens_details":{"cached_tokens":4}}}
            """), Compact(result.Body));
        Assert.Equal(new TokenUsage(9, 3), result.Usage);
        Assert.Equal(raw, result.RawUpstream);
        Assert.Equal(WireApis.Gemini, result.RawUpstreamApi);
    }

    [Fact]
    public void Blocked_prompt_is_a_content_filter_answer_named_after_the_requested_model()
    {
        var result = _protocol.ReadAnswer(Bytes("""{"promptFeedback":{"blockReason":"SAFETY"}}"""), _call, 42)!;

        var completion = JsonNode.Parse(result.Body.Span)!;
        Assert.Equal("gemini-42", completion["id"]!.GetValue<string>());
        Assert.Equal("gemini-x", completion["model"]!.GetValue<string>());
        Assert.Equal("content_filter", result.FinishReason);
    }

    [Theory]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("STOP", "stop")]
    public void Finish_reason_maps_to_openai(string reason, string expected)
    {
        var result = _protocol.ReadAnswer(Bytes($$"""{"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":"{{reason}}"}]}"""), _call, 0)!;

        Assert.Equal(expected, result.FinishReason);
    }

    [Fact]
    public void Body_that_is_no_generate_content_response_reads_as_none()
    {
        Assert.Null(_protocol.ReadAnswer(Bytes("""{"error":{"code":400,"message":"bad"}}"""), _call, 0));
    }

    [Fact]
    public async Task Stream_events_become_deltas_and_the_last_usage_follows_the_end()
    {
        var chunks = await ReadStream(_protocol, _call, """
            data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hello"}]}}],"usageMetadata":{"promptTokenCount":5},"modelVersion":"gemini-x"}

            data: {"candidates":[{"content":{"role":"model","parts":[{"text":" there!"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":3,"totalTokenCount":8},"modelVersion":"gemini-x"}


            """);

        const string frame = """{"id":"gemini-stream","object":"chat.completion.chunk","created":1700000000,"model":"gemini-x",""";
        Assert.Equal(
        [
            frame + "\"choices\":" + """[{"index":0,"delta":{"content":"Hello","role":"assistant"},"logprobs":null,"finish_reason":null}]}""",
            frame + "\"choices\":" + """[{"index":0,"delta":{"content":" there!"},"logprobs":null,"finish_reason":"stop"}]}""",
            frame + "\"choices\":" + """[],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""",
        ], Texts(chunks));
        Assert.Equal(new TokenUsage(5, 3), chunks[2].Usage);
    }

    [Fact]
    public async Task Streamed_function_calls_are_numbered_across_events()
    {
        var chunks = await ReadStream(_protocol, _call, """
            data: {"candidates":[{"content":{"parts":[{"functionCall":{"name":"a","args":{}}}]}}]}

            data: {"candidates":[{"content":{"parts":[{"functionCall":{"name":"b","args":{"x":1}}}]},"finishReason":"STOP"}]}


            """);

        string[] deltas =
        [
            """{"tool_calls":[{"id":"call_0","type":"function","function":{"name":"a","arguments":"{}"},"index":0}],"role":"assistant"}""",
            """{"tool_calls":[{"id":"call_1","type":"function","function":{"name":"b","arguments":"{\"x\":1}"},"index":1}]}""",
        ];
        Assert.Equal(deltas.Select(json => Compact(json)), chunks.Take(2).Select(c => JsonNode.Parse(c.Json.Span)!["choices"]![0]!["delta"]!.ToJsonString()));
        Assert.Equal("tool_calls", chunks[1].FinishReason);
    }

    [Fact]
    public async Task Error_event_ends_the_stream_with_its_code()
    {
        const string data = """{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}""";

        var chunks = await ReadStream(_protocol, _call, $"data: {data}\n\n");

        var error = Assert.Single(chunks).Error!;
        Assert.Equal(503, error.Status);
        Assert.Equal("The model is overloaded.", error.Message);
        Assert.Equal(data, error.RawBody);
        Assert.Equal(WireApis.Gemini, error.Api);
    }

    [Fact]
    public async Task Stream_that_ends_without_a_finish_reason_is_cut_short()
    {
        var chunks = await ReadStream(_protocol, _call, """
            data: {"candidates":[{"content":{"parts":[{"text":"Hel"}]}}]}


            """);

        Assert.Equal(2, chunks.Count);
        Assert.Equal("provider 'p1' closed the stream before the answer was finished", chunks[1].Error!.Message);
    }
}
