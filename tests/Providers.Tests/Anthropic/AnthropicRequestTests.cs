using LlmRouter.Providers.Anthropic;

namespace LlmRouter.Providers.Tests.Anthropic;

public sealed class AnthropicRequestTests
{
    private readonly AnthropicMessagesProtocol _protocol = new();

    private static async Task<string> Sent(string canonical, bool stream = false, ProviderConfig? provider = null)
    {
        using var request = new AnthropicMessagesProtocol().CreateRequest(Call(provider ?? Provider(ProviderTypes.Anthropic), canonical), stream);
        return await BodyOf(request);
    }

    [Fact]
    public async Task System_is_lifted_turns_of_one_role_merge_and_max_tokens_is_always_set()
    {
        var body = await Sent("""
            {"model":"claude-x","messages":[
              {"role":"system","content":"Be brief."},{"role":"developer","content":"Be kind."},
              {"role":"user","content":"a"},{"role":"user","content":[{"type":"text","text":"b"},{"type":"text","text":""}]},
              {"role":"assistant","content":"c"}]}
            """);

        Assert.Equal(Compact("""
            {"model":"claude-x","max_tokens":4096,"system":"Be brief.\n\nBe kind.","messages":[
              {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
              {"role":"assistant","content":[{"type":"text","text":"c"}]}]}
            """), body);
    }

    [Fact]
    public async Task Sampling_is_translated_temperature_capped_at_one_and_user_becomes_metadata()
    {
        var body = await Sent("""
            {"model":"m","messages":[{"role":"user","content":"q"}],"max_completion_tokens":50,"max_tokens":9,
             "temperature":1.6,"top_p":0.9,"top_k":5,"stop":"END","user":"u-7","seed":3}
            """, stream: true);

        Assert.Equal(Compact("""
            {"model":"m","max_tokens":50,"messages":[{"role":"user","content":[{"type":"text","text":"q"}]}],"stream":true,
             "temperature":1,"top_p":0.9,"top_k":5,"stop_sequences":["END"],"metadata":{"user_id":"u-7"}}
            """), body);
    }

    [Fact]
    public async Task Default_max_tokens_comes_from_the_provider_setting()
    {
        var body = await Sent("""{"model":"m","messages":[{"role":"user","content":"q"}]}""",
            provider: Provider(ProviderTypes.Anthropic, null, ("default_max_tokens", 777L)));

        Assert.Equal("""{"model":"m","max_tokens":777,"messages":[{"role":"user","content":[{"type":"text","text":"q"}]}]}""", body);
    }

    [Fact]
    public async Task Tool_calls_become_tool_use_blocks_and_results_user_tool_result_blocks()
    {
        var body = await Sent("""
            {"model":"m","messages":[
              {"role":"user","content":"weather?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"sunny"},
              {"role":"tool","tool_call_id":"call_2","content":""}],
             "tools":[{"type":"function","function":{"name":"get","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},
                      {"type":"function","function":{"name":"noop"}},{"type":"web_search"}],
             "tool_choice":{"type":"function","function":{"name":"get"}},"parallel_tool_calls":false}
            """);

        Assert.Equal(Compact("""
            {"model":"m","max_tokens":4096,"messages":[
              {"role":"user","content":[{"type":"text","text":"weather?"}]},
              {"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"get","input":{"city":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"sunny"},{"type":"tool_result","tool_use_id":"call_2"}]}],
             "tools":[{"name":"get","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},
                      {"name":"noop","input_schema":{"type":"object","properties":{}}}],
             "tool_choice":{"type":"tool","name":"get","disable_parallel_tool_use":true}}
            """), body);
    }

    [Theory]
    [InlineData("\"auto\"", null, """{"type":"auto"}""")]
    [InlineData("\"required\"", null, """{"type":"any"}""")]
    [InlineData("\"none\"", "false", """{"type":"none"}""")]
    [InlineData("null", "false", """{"type":"auto","disable_parallel_tool_use":true}""")]
    public async Task Tool_choice_maps_to_anthropic_types(string choice, string? parallel, string expected)
    {
        var parallelToolCalls = parallel is null ? "" : ",\"parallel_tool_calls\":" + parallel;
        var body = await Sent($$$"""
            {"model":"m","messages":[{"role":"user","content":"q"}],"tools":[{"type":"function","function":{"name":"f"}}],
             "tool_choice":{{{choice}}}{{{parallelToolCalls}}} }
            """);

        Assert.Equal(Compact(expected), JsonNode.Parse(body)!["tool_choice"]!.ToJsonString());
    }

    [Fact]
    public async Task Images_go_as_base64_or_url_sources()
    {
        var body = await Sent("""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},{"type":"image_url","image_url":"https://x/cat.jpg"}]}]}
            """);

        Assert.Equal(Compact("""
            [{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}},
             {"type":"image","source":{"type":"url","url":"https://x/cat.jpg"}}]
            """), JsonNode.Parse(body)!["messages"]![0]!["content"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"role":"function","content":"x"}]""", "messages with role 'function' cannot be sent to an Anthropic upstream")]
    [InlineData("""[{"role":"user","content":[{"type":"input_audio"}]}]""", "content parts of type 'input_audio' cannot be sent to an Anthropic upstream")]
    [InlineData("""[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]""", "an image_url part has no url")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"id":"1","function":{"name":"f","arguments":"[1]"}}]}]""", "tool call arguments must be a JSON object")]
    public void What_anthropic_cannot_say_fails_the_translation(string messages, string expected)
    {
        var failure = Assert.Throws<TranslationFailure>(() =>
            _protocol.CreateRequest(Call(Provider(ProviderTypes.Anthropic), $$"""{"model":"m","messages":{{messages}}}"""), stream: false));

        Assert.Equal(expected, failure.Message);
        Assert.Equal(400, failure.ToError().Status);
    }

    [Fact]
    public void Request_carries_key_version_and_goes_to_v1_messages()
    {
        using var request = _protocol.CreateRequest(
            Call(Provider(ProviderTypes.Claude, "https://proxy/v1", ("anthropic_version", "2024-01-01")), """{"model":"m","messages":[]}"""), stream: true);

        Assert.Equal("https://proxy/v1/messages", request.RequestUri!.ToString());
        Assert.Equal(Key, Header(request, "x-api-key"));
        Assert.Equal("2024-01-01", Header(request, "anthropic-version"));
        Assert.Equal("text/event-stream", Header(request, "Accept"));
        Assert.Null(Header(request, "Authorization"));
    }

    [Fact]
    public async Task Native_anthropic_request_is_sent_as_written_with_the_routed_model_and_client_headers()
    {
        var native = new NativeRequest(WireApis.Anthropic, (JsonObject)JsonNode.Parse("""
            {"model":"alias","stream":true,"max_tokens":5,"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"q"}]}
            """)!)
        { Headers = [new("anthropic-beta", "tools-2024")] };
        var call = Call(Provider(ProviderTypes.Anthropic), """{"model":"claude-real","messages":[]}""", native: native);

        using var request = _protocol.CreateRequest(call, stream: false);

        Assert.Equal(Compact("""
            {"model":"claude-real","max_tokens":5,"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"q"}]}
            """), await BodyOf(request));
        Assert.Equal("tools-2024", Header(request, "anthropic-beta"));
        Assert.True(native.Body["stream"]!.GetValue<bool>());
    }
}
