using LlmRouter.Providers.Gemini;

namespace LlmRouter.Providers.Tests.Gemini;

public sealed class GeminiRequestTests
{
    private readonly GeminiProtocol _protocol = new();

    private async Task<string> Sent(string canonical)
    {
        using var request = _protocol.CreateRequest(Call(Provider(ProviderTypes.Gemini), canonical), stream: false);
        return await BodyOf(request);
    }

    [Fact]
    public async Task Roles_become_user_and_model_with_system_text_in_system_instruction()
    {
        var body = await Sent("""
            {"model":"gemini-x","messages":[
              {"role":"system","content":"Be brief."},{"role":"user","content":"a"},{"role":"user","content":""},
              {"role":"assistant","content":"b"},{"role":"developer","content":[{"type":"text","text":"Be kind."}]}]}
            """);

        Assert.Equal(Compact("""
            {"contents":[{"role":"user","parts":[{"text":"a"},{"text":""}]},{"role":"model","parts":[{"text":"b"}]}],
             "systemInstruction":{"parts":[{"text":"Be brief."},{"text":"Be kind."}]}}
            """), body);
    }

    [Fact]
    public async Task Tool_calls_and_results_become_function_parts_named_by_the_call()
    {
        var body = await Sent("""
            {"model":"g","messages":[
              {"role":"user","content":"weather?"},
              {"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"{\"temp\":22}"},
              {"role":"tool","tool_call_id":"call_x","name":"other","content":"plain text"}],
             "tools":[{"type":"function","function":{"name":"get","description":"Weather",
               "parameters":{"$schema":"x","type":"object","additionalProperties":false,"properties":{"city":{"type":"string","strict":true}}}}}],
             "tool_choice":"required"}
            """);

        Assert.Equal(Compact("""
            {"contents":[
              {"role":"user","parts":[{"text":"weather?"}]},
              {"role":"model","parts":[{"functionCall":{"name":"get","args":{"city":"Paris"}}}]},
              {"role":"user","parts":[{"functionResponse":{"name":"get","response":{"temp":22}}},
                                      {"functionResponse":{"name":"other","response":{"content":"plain text"}}}]}],
             "tools":[{"functionDeclarations":[{"name":"get","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]}],
             "toolConfig":{"functionCallingConfig":{"mode":"ANY"}}}
            """), body);
    }

    [Fact]
    public async Task Sampling_goes_in_generation_config_with_a_json_schema_answer()
    {
        var body = await Sent("""
            {"model":"g","messages":[{"role":"user","content":"q"}],"temperature":0.2,"top_p":0.8,"top_k":4,"seed":1,"n":2,
             "presence_penalty":0.1,"frequency_penalty":0.3,"max_tokens":64,"stop":["A","B"],
             "response_format":{"type":"json_schema","json_schema":{"schema":{"type":"object","additionalProperties":false}}}}
            """);

        Assert.Equal(Compact("""
            {"temperature":0.2,"topP":0.8,"topK":4,"seed":1,"candidateCount":2,"presencePenalty":0.1,"frequencyPenalty":0.3,
             "maxOutputTokens":64,"stopSequences":["A","B"],"responseMimeType":"application/json","responseSchema":{"type":"object"}}
            """), JsonNode.Parse(body)!["generationConfig"]!.ToJsonString());
    }

    [Fact]
    public async Task Function_choice_allows_only_that_function_and_images_go_inline_or_by_uri()
    {
        var body = JsonNode.Parse(await Sent("""
            {"model":"g","messages":[{"role":"user","content":[
              {"type":"image_url","image_url":{"url":"data:image/webp;base64,QUJD"}},{"type":"image_url","image_url":{"url":"https://x/a.PNG?s=1"}},
              {"type":"image_url","image_url":{"url":"gs://b/photo"}}]}],
             "tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"f"}}}
            """))!;

        Assert.Equal(Compact("""
            [{"inlineData":{"mimeType":"image/webp","data":"QUJD"}},{"fileData":{"mimeType":"image/png","fileUri":"https://x/a.PNG?s=1"}},
             {"fileData":{"mimeType":"image/jpeg","fileUri":"gs://b/photo"}}]
            """), body["contents"]![0]!["parts"]!.ToJsonString());
        Assert.Equal("""{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["f"]}}""", body["toolConfig"]!.ToJsonString());
    }

    [Fact]
    public void Request_goes_to_generate_content_of_the_model_with_the_goog_key()
    {
        using var plain = _protocol.CreateRequest(Call(Provider(ProviderTypes.Gemini), """{"model":"models/gemini-2.5","messages":[]}"""), stream: false);
        using var streamed = _protocol.CreateRequest(
            Call(Provider(ProviderTypes.Gemini, "http://g:9/v1", ("api_version", "v1")), """{"model":"a b","messages":[]}"""), stream: true);

        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5:generateContent", plain.RequestUri!.ToString());
        Assert.Equal(Key, Header(plain, "x-goog-api-key"));
        Assert.Null(Header(plain, "Authorization"));
        Assert.Equal("http://g:9/v1/models/a%20b:streamGenerateContent?alt=sse", streamed.RequestUri!.AbsoluteUri);
        Assert.Equal("text/event-stream", Header(streamed, "Accept"));
    }

    [Theory]
    [InlineData("""[{"role":"function","content":"x"}]""", "messages with role 'function' cannot be sent to a Gemini upstream")]
    [InlineData("""[{"role":"user","content":[{"type":"file"}]}]""", "content parts of type 'file' cannot be sent to a Gemini upstream")]
    [InlineData("""[{"role":"user","content":[{"type":"image_url"}]}]""", "an image_url part has no url")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"function":{"name":"f","arguments":"{oops"}}]}]""", "tool call arguments are not valid JSON")]
    public void What_gemini_cannot_say_fails_the_translation(string messages, string expected)
    {
        var failure = Assert.Throws<TranslationFailure>(() =>
            _protocol.CreateRequest(Call(Provider(ProviderTypes.Gemini), $$"""{"model":"g","messages":{{messages}}}"""), stream: false));

        Assert.Equal(expected, failure.Message);
    }
}
