using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Responses;
using LlmRouter.Persistence;

namespace LlmRouter.Api.Tests.Responses;

/// <summary>Who may read a kept response, what store = false keeps, retention, and hostile Responses requests.</summary>
public sealed class ResponsesAccessTests
{
    private const string Body = """{"model":"fake/gpt-test","input":"My name is Ada."}""";

    [Fact]
    public async Task A_kept_response_is_read_only_by_its_key_or_an_admin_and_another_tenant_cannot_continue_it()
    {
        var (fake, router) = await AccessKit.StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var (status, created, _) = await AccessKit.PostAsync(router, "/v1/responses", Body, AccessKit.UserKey);
        Assert.Equal(HttpStatusCode.OK, status);
        var id = created!["id"]!.GetValue<string>();

        var own = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/" + id, credential: AccessKit.UserKey);
        var admin = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/" + id, credential: AccessKit.AdminKey);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (own.Status, admin.Status));
        Assert.True(JsonNode.DeepEquals(created, own.Body));
        Assert.True(JsonNode.DeepEquals(created, admin.Body));

        var other = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/" + id, credential: AccessKit.LimitedKey);
        AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", other);
        var unknown = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/resp_nothing", credential: AccessKit.UserKey);
        AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", unknown);

        var continued = await AccessKit.PostAsync(router, "/v1/responses",
            $$"""{"model":"fake/gpt-test","input":"And my name?","previous_response_id":"{{id}}"}""", AccessKit.LimitedKey);
        var error = AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "previous_response_not_found", continued);
        Assert.Equal("previous_response_id", error["param"]!.GetValue<string>());
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task A_remote_caller_without_a_key_gets_401_for_a_kept_response_and_cannot_continue_it()
    {
        var (fake, router) = await AccessKit.StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var (_, created, _) = await AccessKit.PostAsync(router, "/v1/responses", Body, AccessKit.UserKey);
        var id = created!["id"]!.GetValue<string>();

        var fetched = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/" + id);
        var continued = await AccessKit.PostAsync(router, "/v1/responses", $$"""{"model":"fake/gpt-test","input":"And my name?","previous_response_id":"{{id}}"}""");

        AccessKit.AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", fetched);
        AccessKit.AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", continued);
        Assert.Null(fetched.Body!["output"]);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Store_false_keeps_nothing_to_get_or_continue()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        var created = await AccessKit.PostAsync(router, "/v1/responses", """{"model":"fake/gpt-test","input":"hi","store":false}""", remote: false);

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.False(created.Body!["store"]!.GetValue<bool>());
        var id = created.Body["id"]!.GetValue<string>();
        Assert.Null(await router.Services.GetRequiredService<IResponseStore>().FindAsync(id));
        var fetched = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/" + id, remote: false);
        AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", fetched);
    }

    [Fact]
    public async Task Kept_responses_are_pruned_with_the_invocation_log()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, extra: "[monitoring]\nretention_days = 7"));
        var store = router.Services.GetRequiredService<IResponseStore>();
        var now = DateTimeOffset.UtcNow;
        await store.SaveAsync(new StoredResponse { Id = "resp_old", CreatedAt = now.AddDays(-8), Input = "[]", Response = "{}" });
        await store.SaveAsync(new StoredResponse { Id = "resp_new", CreatedAt = now.AddDays(-6), Input = "[]", Response = "{}" });

        await router.Services.GetRequiredService<InvocationRetention>().PruneAsync();

        Assert.Null(await store.FindAsync("resp_old"));
        Assert.NotNull(await store.FindAsync("resp_new"));
    }

    [Theory]
    [InlineData("""{"input":"hi"}""", "model")]
    [InlineData("""{"model":5,"input":"hi"}""", "model")]
    [InlineData("""{"model":"fake/gpt-test"}""", "input")]
    [InlineData("""{"model":"fake/gpt-test","input":7}""", "input")]
    [InlineData("""{"model":"fake/gpt-test","input":[1]}""", "input[0]")]
    [InlineData("""{"model":"fake/gpt-test","input":[{"role":"robot","content":"hi"}]}""", "input[0].role")]
    [InlineData("""{"model":"fake/gpt-test","input":[{"role":"user","content":{"a":1}}]}""", "input[0].content")]
    [InlineData("""{"model":"fake/gpt-test","input":[{"type":"function_call","name":"f"}]}""", "input[0]")]
    [InlineData("""{"model":"fake/gpt-test","input":[{"type":"function_call_output","call_id":"c","output":{"x":1}}]}""", "input[0].output")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","tools":"all"}""", "tools")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","max_output_tokens":-3}""", "max_output_tokens")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","max_output_tokens":"many"}""", "max_output_tokens")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","instructions":["a"]}""", "instructions")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","text":{"format":{"type":"json_schema"}}}""", "text.format")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","previous_response_id":42}""", "previous_response_id")]
    [InlineData("""{"model":"fake/gpt-test","input":[{"role":"user","content":[1]}]}""", "input[0].content")]
    [InlineData("""{"model":"fake/gpt-test","input":[{"type":"function_call_output","call_id":"c","output":[1]}]}""", "input[0].output")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","tools":[1]}""", "tools[0]")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","tools":[{"name":"f"}]}""", "tools[0]")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","tools":[{"type":"function"}]}""", "tools[0]")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","tool_choice":{"name":"f"}}""", "tool_choice")]
    [InlineData("""{"model":"fake/gpt-test","input":[{"content":"hi"}]}""", "input[0].type")]
    [InlineData("""{"model":"fake/gpt-test","input":[{"role":"user","content":[{"text":"hi"}]}]}""", "input[0].content")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","text":"plain"}""", "text")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","text":{"format":"json"}}""", "text.format")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","stream":"yes"}""", "stream")]
    public async Task Hostile_requests_are_refused_with_400_in_openai_shape_and_never_reach_the_upstream(string body, string param)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        var refused = await AccessKit.PostAsync(router, "/v1/responses", body, remote: false);

        var error = AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", refused);
        Assert.Equal(param, error["param"]!.GetValue<string>());
        Assert.Empty(fake.Requests);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"model":"fake/gpt-test","input":"hi","input":"again"}""")]
    public async Task Bodies_that_are_not_a_json_object_are_refused_with_400(string body)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        var refused = await AccessKit.PostAsync(router, "/v1/responses", body, remote: false);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("invalid_request_error", refused.Body!["error"]!["type"]!.GetValue<string>());
        Assert.Empty(fake.Requests);
    }
}
