using LlmRouter.Providers.Anthropic;

namespace LlmRouter.Providers.Tests.Anthropic;

public sealed class AnthropicAnswerTests
{
    private readonly AnthropicMessagesProtocol _protocol = new();
    private readonly UpstreamCall _call = Call(Provider(ProviderTypes.Anthropic), """{"model":"m","messages":[]}""");

    [Fact]
    public void Message_becomes_a_completion_with_reasoning_tool_calls_and_cache_counted_in_prompt()
    {
        const string raw = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-x",
             "content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_1","name":"get","input":{"city":"Paris"}}],
             "stop_reason":"tool_use","usage":{"input_tokens":10,"cache_creation_input_tokens":2,"cache_read_input_tokens":3,"output_tokens":7}}
            """;

        var result = _protocol.ReadAnswer(Bytes(raw), _call, 1700000000)!;

        Assert.Equal(Compact("""
            {"id":"msg_1","object":"chat.completion","created":1700000000,"model":"claude-x","choices":[{"index":0,
              "message":{"role":"assistant","content":"Let me check.","reasoning_content":"hmm",
                "tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get","arguments":"{\"city\":\"Paris\"}"}}]},
              "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":15,"completion_tokens":7,"total_tokens":22,"prompt_tokens_details":{"cached_tokens":3}}}
            """), Compact(result.Body));
        Assert.Equal(new TokenUsage(15, 7), result.Usage);
        Assert.Equal("tool_calls", result.FinishReason);
        Assert.Equal(raw, result.RawUpstream);
        Assert.Equal(WireApis.Anthropic, result.RawUpstreamApi);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("refusal", "content_filter")]
    public void Stop_reason_maps_to_finish_reason(string stopReason, string finishReason)
    {
        var result = _protocol.ReadAnswer(Bytes($$"""{"content":[],"stop_reason":"{{stopReason}}"}"""), _call, 0)!;

        Assert.Equal(finishReason, result.FinishReason);
        Assert.Equal("", JsonNode.Parse(result.Body.Span)!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void Body_without_content_is_no_message()
    {
        Assert.Null(_protocol.ReadAnswer(Bytes("""{"type":"error","error":{"type":"api_error","message":"x"}}"""), _call, 0));
    }

    private const string TextStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","model":"claude-x","content":[],"usage":{"input_tokens":25,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type":"ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    [Fact]
    public async Task Stream_events_become_chunks_ending_with_usage()
    {
        var chunks = await ReadStream(_protocol, _call, TextStream);

        const string frame = """{"id":"msg_1","object":"chat.completion.chunk","created":1700000000,"model":"claude-x",""";
        Assert.Equal(
        [
            frame + "\"choices\":" + """[{"index":0,"delta":{"content":"","role":"assistant"},"logprobs":null,"finish_reason":null}]}""",
            frame + "\"choices\":" + """[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}""",
            frame + "\"choices\":" + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""",
            frame + "\"choices\":" + """[],"usage":{"prompt_tokens":25,"completion_tokens":15,"total_tokens":40}}""",
        ], Texts(chunks));
        Assert.Equal(new TokenUsage(25, 15), chunks[2].Usage);
        Assert.True(chunks[3].IsUsageOnly);
        Assert.All(chunks, c => Assert.Null(c.Native));
    }

    [Fact]
    public async Task Tool_use_blocks_stream_as_tool_call_deltas_and_thinking_as_reasoning()
    {
        var chunks = await ReadStream(_protocol, _call, """
            data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_9","name":"get","input":{}}}

            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"ci"}}

            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}}

            data: {"type":"message_stop"}


            """);

        string[] deltas =
        [
            """{"tool_calls":[{"index":0,"id":"toolu_9","type":"function","function":{"name":"get","arguments":""}}],"role":"assistant"}""",
            """{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]}""",
            """{"reasoning_content":"hm"}""",
        ];
        Assert.Equal(deltas.Select(json => Compact(json)), chunks.Take(3).Select(c => JsonNode.Parse(c.Json.Span)!["choices"]![0]!["delta"]!.ToJsonString()));
    }

    [Fact]
    public async Task Passthrough_keeps_every_event_as_is_beside_its_translation()
    {
        var native = new NativeRequest(WireApis.Anthropic, new JsonObject());
        var call = Call(Provider(ProviderTypes.Anthropic), """{"model":"m","messages":[]}""", native: native);

        var chunks = await ReadStream(_protocol, call, TextStream);

        Assert.Equal(["message_start", "content_block_start", "ping", "content_block_delta", "message_delta", "message_stop"], chunks.Select(c => c.Native!.Event));
        Assert.Equal("""{"type":"ping"}""", System.Text.Encoding.UTF8.GetString(chunks[2].Native!.Data.Span));
        Assert.True(chunks[2].Json.IsEmpty);
    }

    [Theory]
    [InlineData("overloaded_error", 529)]
    [InlineData("rate_limit_error", 429)]
    [InlineData("invalid_request_error", 400)]
    [InlineData("api_error", 500)]
    public async Task Error_event_ends_the_stream_with_the_status_of_its_type(string type, int status)
    {
        var data = $$$"""{"type":"error","error":{"type":"{{{type}}}","message":"Overloaded"}}""";

        var chunks = await ReadStream(_protocol, _call, $"event: error\ndata: {data}\n\ndata: {{\"type\":\"message_stop\"}}\n\n");

        var error = Assert.Single(chunks).Error!;
        Assert.Equal(UpstreamErrorKind.HttpStatus, error.Kind);
        Assert.Equal(status, error.Status);
        Assert.Equal("Overloaded", error.Message);
        Assert.Equal(data, error.RawBody);
        Assert.Equal(WireApis.Anthropic, error.Api);
    }

    [Fact]
    public async Task Stream_that_ends_before_message_stop_is_cut_short()
    {
        var chunks = await ReadStream(_protocol, _call, TextStream[..TextStream.IndexOf("event: message_delta", StringComparison.Ordinal)]);

        Assert.Equal("provider 'p1' closed the stream before the answer was finished", chunks[^1].Error!.Message);
    }
}
