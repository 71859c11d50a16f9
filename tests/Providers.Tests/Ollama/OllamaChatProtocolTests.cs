using LlmRouter.Providers.Ollama;

namespace LlmRouter.Providers.Tests.Ollama;

public sealed class OllamaChatProtocolTests
{
    private readonly OllamaChatProtocol _protocol = new();
    private readonly UpstreamCall _call = Call(Provider(ProviderTypes.Ollama), """{"model":"llama3.2","messages":[]}""");

    [Fact]
    public async Task Request_puts_sampling_in_options_images_beside_text_and_names_tool_results()
    {
        using var request = _protocol.CreateRequest(Call(Provider(ProviderTypes.Ollama), """
            {"model":"llama3.2","messages":[
              {"role":"developer","content":"Be brief."},
              {"role":"user","content":[{"type":"text","text":"What is "},{"type":"text","text":"this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
              {"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"get","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"c1","content":"22C"},{"role":"tool","tool_call_id":"zz","content":"?"}],
             "temperature":0.7,"top_p":"high","seed":42,"max_completion_tokens":256,"stop":"\n\n","response_format":{"type":"json_object"},
             "tools":[{"type":"function","function":{"name":"get","parameters":{"type":"object"}}}]}
            """), stream: false);

        Assert.Equal(Compact("""
            {"model":"llama3.2","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"What is this?","images":["AAAA"]},
              {"role":"assistant","content":"","tool_calls":[{"function":{"name":"get","arguments":{"city":"Paris"}}}]},
              {"role":"tool","content":"22C","tool_name":"get"},{"role":"tool","content":"?"}],
             "stream":false,"options":{"temperature":0.7,"seed":42,"num_predict":256,"stop":["\n\n"]},"format":"json",
             "tools":[{"type":"function","function":{"name":"get","parameters":{"type":"object"}}}]}
            """), await BodyOf(request));
        Assert.Equal("http://localhost:11434/api/chat", request.RequestUri!.ToString());
        Assert.Equal("Bearer " + Key, Header(request, "Authorization"));
    }

    [Fact]
    public async Task Stream_is_always_explicit_a_schema_is_the_format_and_a_v1_base_url_is_stepped_out_of()
    {
        using var request = _protocol.CreateRequest(Call(Provider(ProviderTypes.Ollama, "http://box:11434/v1"), """
            {"model":"q","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"schema":{"type":"object"}}}}
            """, key: null), stream: true);

        Assert.Equal("""{"model":"q","messages":[{"role":"user","content":"hi"}],"stream":true,"format":{"type":"object"}}""", await BodyOf(request));
        Assert.Equal("http://box:11434/api/chat", request.RequestUri!.ToString());
        Assert.Equal("application/x-ndjson", Header(request, "Accept"));
        Assert.Null(Header(request, "Authorization"));
    }

    [Theory]
    [InlineData("""[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/cat.png"}}]}]""", "Ollama's native API takes images inline only: send them as data:image/…;base64 URLs")]
    [InlineData("""[{"role":"user","content":[{"type":"input_audio"}]}]""", "content parts of type 'input_audio' cannot be sent to Ollama's native API")]
    [InlineData("""[{"role":"critic","content":"x"}]""", "messages with role 'critic' cannot be sent to Ollama's native API")]
    public void What_ollama_cannot_say_fails_the_translation(string messages, string expected)
    {
        var failure = Assert.Throws<TranslationFailure>(() =>
            _protocol.CreateRequest(Call(Provider(ProviderTypes.Ollama), $$"""{"model":"q","messages":{{messages}}}"""), stream: false));

        Assert.Equal(expected, failure.Message);
    }

    [Fact]
    public void Answer_becomes_a_completion_with_tool_calls_and_eval_counts_as_usage()
    {
        const string raw = """
            {"model":"llama3.2","created_at":"2024-07-22T20:33:28Z","message":{"role":"assistant","content":"","thinking":"hm",
             "tool_calls":[{"function":{"name":"get","arguments":{"city":"Paris"}}}]},"done":true,"done_reason":"stop","prompt_eval_count":122,"eval_count":33}
            """;

        var result = _protocol.ReadAnswer(Bytes(raw), _call, 5)!;

        Assert.Equal(Compact("""
            {"id":"ollama-1721680408","object":"chat.completion","created":1721680408,"model":"llama3.2","choices":[{"index":0,
              "message":{"role":"assistant","content":null,"reasoning_content":"hm","tool_calls":[{"id":"call_0","type":"function","function":{"name":"get","arguments":"{\"city\":\"Paris\"}"}}]},
              "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":122,"completion_tokens":33,"total_tokens":155}}
            """), Compact(result.Body));
        Assert.Equal(new TokenUsage(122, 33), result.Usage);
        Assert.Equal(raw, result.RawUpstream);
        Assert.Equal(WireApis.Ollama, result.RawUpstreamApi);
        Assert.Null(_protocol.ReadAnswer(Bytes("""{"error":"model not found"}"""), _call, 5));
    }

    [Fact]
    public async Task Ndjson_lines_become_deltas_then_finish_and_usage()
    {
        var chunks = await ReadStream(_protocol, _call, """
            {"model":"llama3.2","message":{"role":"assistant","content":"Hel"},"done":false}
            {"model":"llama3.2","message":{"role":"assistant","content":"lo!"},"done":false}
            {"model":"llama3.2","message":{"role":"assistant","content":""},"done":true,"done_reason":"length","prompt_eval_count":26,"eval_count":2}
            {"model":"llama3.2","message":{"role":"assistant","content":"after"},"done":false}

            """, created: 7);

        const string frame = """{"id":"ollama-7","object":"chat.completion.chunk","created":7,"model":"llama3.2",""";
        Assert.Equal(
        [
            frame + "\"choices\":" + """[{"index":0,"delta":{"content":"Hel","role":"assistant"},"logprobs":null,"finish_reason":null}]}""",
            frame + "\"choices\":" + """[{"index":0,"delta":{"content":"lo!"},"logprobs":null,"finish_reason":null}]}""",
            frame + "\"choices\":" + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}]}""",
            frame + "\"choices\":" + """[],"usage":{"prompt_tokens":26,"completion_tokens":2,"total_tokens":28}}""",
        ], Texts(chunks));
    }

    [Fact]
    public async Task Error_line_ends_the_stream_and_a_missing_done_line_is_cut_short()
    {
        var failed = await ReadStream(_protocol, _call, "{\"message\":{\"content\":\"a\"},\"done\":false}\n{\"error\":\"out of memory\"}\n");
        var cut = await ReadStream(_protocol, _call, "{\"message\":{\"content\":\"a\"},\"done\":false}\n");

        var error = failed[^1].Error!;
        Assert.Equal(2, failed.Count);
        Assert.Equal("out of memory", error.Message);
        Assert.Equal(500, error.Status);
        Assert.Equal("""{"error":"out of memory"}""", error.RawBody);
        Assert.Equal(WireApis.Ollama, error.Api);
        Assert.Equal("provider 'p1' closed the stream before the answer was finished", cut[^1].Error!.Message);
    }
}
