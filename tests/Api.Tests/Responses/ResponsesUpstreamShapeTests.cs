using System.Net;

namespace LlmRouter.Api.Tests.Responses;

/// <summary>
/// A chat upstream whose answer holds parts that are not the objects they should be (a tool call that is a number, a
/// usage detail that is not an object): the Responses client gets what can be read, whole or streamed, never a fault.
/// </summary>
public sealed class ResponsesUpstreamShapeTests
{
    [Fact]
    public async Task A_whole_answer_with_malformed_parts_is_answered_with_what_can_be_read()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, _) =>
        {
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync("""
                {"id":"c1","object":"chat.completion","created":1,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello","tool_calls":[7]},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4,"prompt_tokens_details":5}}
                """);
        };
        await using var router = await RouterHarness.StartAsync(ResponsesApiTests.ChatOnlyToml(fake.BaseUrl));

        var (status, answer, _) = await AccessKit.PostAsync(router, "/v1/responses", """{"model":"fake/gpt-test","input":"hi"}""", remote: false);

        Assert.True(status == HttpStatusCode.OK, answer?.ToJsonString());
        var item = Assert.Single(answer!["output"]!.AsArray())!;
        Assert.Equal(("message", "Hello"), (item["type"]!.GetValue<string>(), item["content"]![0]!["text"]!.GetValue<string>()));
        var usage = answer["usage"]!;
        Assert.Equal((3L, 1L, 0L), (usage["input_tokens"]!.GetValue<long>(), usage["output_tokens"]!.GetValue<long>(), usage["input_tokens_details"]!["cached_tokens"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_stream_with_malformed_parts_is_relayed_with_what_can_be_read()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = async (http, _) =>
        {
            http.Response.ContentType = "text/event-stream";
            await FakeOpenAiUpstream.WriteEventAsync(http, """
                {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi","tool_calls":[7]},"finish_reason":null}],"usage":{"prompt_tokens_details":2}}
                """);
            await FakeOpenAiUpstream.WriteEventAsync(http, """{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""");
            await FakeOpenAiUpstream.WriteEventAsync(http, """{"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""");
            await http.Response.WriteAsync("data: [DONE]\n\n");
        };
        await using var router = await RouterHarness.StartAsync(ResponsesApiTests.ChatOnlyToml(fake.BaseUrl));

        var (_, events) = await ResponsesEventStream.PostAsync(router, """{"model":"fake/gpt-test","input":"hi","stream":true}""", _ => { });

        var completed = events[^1];
        Assert.Equal("response.completed", completed["type"]!.GetValue<string>());
        var item = Assert.Single(completed["response"]!["output"]!.AsArray())!;
        Assert.Equal("Hi", item["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(3L, completed["response"]!["usage"]!["input_tokens"]!.GetValue<long>());
    }
}
