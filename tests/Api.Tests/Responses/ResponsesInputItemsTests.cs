using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Responses;
using OpenAI.Responses;

namespace LlmRouter.Api.Tests.Responses;

#pragma warning disable OPENAI001 // The SDK marks its Responses client experimental.

/// <summary>
/// GET /v1/responses/{id}/input_items: the conversation that led to a kept response in OpenAI's list shape, each item
/// with an id (one derived from the response id and the item's place when the client gave none), a page at a time,
/// to the key that created it or an admin.
/// </summary>
public sealed class ResponsesInputItemsTests
{
    private const string FirstBody = """
        {"model":"fake/gpt-test","input":[{"role":"developer","content":"Be kind."},
                                          {"type":"message","role":"user","content":[{"type":"input_text","text":"Hi, I am Ada."}]}]}
        """;

    [Fact]
    public async Task The_items_of_a_continued_response_are_listed_newest_first_with_ids_in_openai_shape()
    {
        var (fake, router) = await AccessKit.StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var id = await ConversationAsync(router, AccessKit.UserKey);

        var listed = await AccessKit.SendAsync(router, HttpMethod.Get, $"/v1/responses/{id}/input_items", credential: AccessKit.UserKey);
        var again = await AccessKit.SendAsync(router, HttpMethod.Get, $"/v1/responses/{id}/input_items", credential: AccessKit.AdminKey);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (listed.Status, again.Status));
        var upstreamOutput = FakeOpenAiResponses.Message("Hello from the fake upstream", "completed").ToJsonString();
        var expected = JsonNode.Parse($$"""
            {"object":"list","data":[
              {"id":"{{Derived("msg", id, 3)}}","type":"message","role":"user","status":"completed",
               "content":[{"type":"input_text","text":"What is my name?"}]},
              {{upstreamOutput}},
              {"id":"{{Derived("msg", id, 1)}}","type":"message","role":"user","status":"completed",
               "content":[{"type":"input_text","text":"Hi, I am Ada."}]},
              {"id":"{{Derived("msg", id, 0)}}","type":"message","role":"developer","status":"completed",
               "content":[{"type":"input_text","text":"Be kind."}]}],
             "first_id":"{{Derived("msg", id, 3)}}","last_id":"{{Derived("msg", id, 0)}}","has_more":false}
            """);
        Assert.True(JsonNode.DeepEquals(expected, listed.Body), listed.Body!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(listed.Body, again.Body));
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task The_sdk_pages_through_the_items_in_either_order()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));
        var id = await ConversationAsync(router, key: null);
        var client = ResponsesApiTests.Client(router);

        var ascending = new List<ResponseItem>();
        await foreach (var item in client.GetResponseInputItemsAsync(new ResponseItemCollectionOptions(id) { PageSizeLimit = 3, Order = ResponseItemCollectionOrder.Ascending }))
        {
            ascending.Add(item);
        }
        var descending = new List<ResponseItem>();
        await foreach (var item in client.GetResponseInputItemsAsync(id))
        {
            descending.Add(item);
        }

        var messages = ascending.Select(item => Assert.IsAssignableFrom<MessageResponseItem>(item)).ToArray();
        Assert.Equal(
            [(MessageRole.Developer, "Be kind."), (MessageRole.User, "Hi, I am Ada."), (MessageRole.Assistant, "Hello from the fake upstream"), (MessageRole.User, "What is my name?")],
            messages.Select(m => (m.Role, Assert.Single(m.Content).Text)));
        Assert.Equal([Derived("msg", id, 0), Derived("msg", id, 1), FakeOpenAiResponses.MessageId, Derived("msg", id, 3)], ascending.Select(item => item.Id));
        Assert.Equal(ascending.Select(item => item.Id).Reverse(), descending.Select(item => item.Id));
    }

    [Fact]
    public async Task A_page_starts_after_the_item_named_and_says_whether_more_follow()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));
        var id = await ConversationAsync(router, key: null);

        var first = await AccessKit.SendAsync(router, HttpMethod.Get, $"/v1/responses/{id}/input_items?limit=2&order=asc", remote: false);
        var rest = await AccessKit.SendAsync(router, HttpMethod.Get, $"/v1/responses/{id}/input_items?limit=2&order=asc&after={Derived("msg", id, 1)}", remote: false);
        var last = await AccessKit.SendAsync(router, HttpMethod.Get, $"/v1/responses/{id}/input_items?after={Derived("msg", id, 0)}", remote: false);

        Assert.Equal((Derived("msg", id, 0), Derived("msg", id, 1), true), Page(first.Body!));
        Assert.Equal((FakeOpenAiResponses.MessageId, Derived("msg", id, 3), false), Page(rest.Body!));
        Assert.Empty(last.Body!["data"]!.AsArray());
        Assert.Equal((null, null, false), (last.Body["first_id"]?.GetValue<string>(), last.Body["last_id"]?.GetValue<string>(), last.Body["has_more"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_response_kept_before_items_had_ids_lists_them_under_ids_derived_from_its_id_and_their_place()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));
        await router.Services.GetRequiredService<IResponseStore>().SaveAsync(new StoredResponse
        {
            Id = "resp_legacy", CreatedAt = DateTimeOffset.UtcNow, Response = """{"id":"resp_legacy","object":"response"}""",
            Input = """
                [{"type":"message","role":"user","content":"Weather?"},
                 {"type":"function_call","call_id":"c1","name":"weather","arguments":"{}"},
                 {"type":"function_call_output","call_id":"c1","output":"Sunny"},
                 {"type":"message","role":"assistant","content":"Sunny."}]
                """,
        });

        var listed = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/resp_legacy/input_items?order=asc", remote: false);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            [{"id":"{{Derived("msg", "resp_legacy", 0)}}","type":"message","role":"user","status":"completed","content":[{"type":"input_text","text":"Weather?"}]},
             {"id":"{{Derived("fc", "resp_legacy", 1)}}","type":"function_call","call_id":"c1","name":"weather","arguments":"{}"},
             {"id":"{{Derived("fco", "resp_legacy", 2)}}","type":"function_call_output","call_id":"c1","output":"Sunny"},
             {"id":"{{Derived("msg", "resp_legacy", 3)}}","type":"message","role":"assistant","status":"completed",
              "content":[{"type":"output_text","text":"Sunny.","annotations":[],"logprobs":[]}]}]
            """), listed.Body!["data"]), listed.Body!.ToJsonString());
    }

    [Fact]
    public async Task Another_tenants_key_gets_404_and_a_remote_caller_without_a_key_401()
    {
        var (fake, router) = await AccessKit.StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var id = await ConversationAsync(router, AccessKit.UserKey);

        var other = await AccessKit.SendAsync(router, HttpMethod.Get, $"/v1/responses/{id}/input_items", credential: AccessKit.LimitedKey);
        var anonymous = await AccessKit.SendAsync(router, HttpMethod.Get, $"/v1/responses/{id}/input_items");
        var unknown = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/resp_nothing/input_items", credential: AccessKit.AdminKey);

        var error = AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", other);
        Assert.Equal($"Response with id '{id}' not found.", error["message"]!.GetValue<string>());
        Assert.Null(other.Body!["data"]);
        AccessKit.AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", anonymous);
        AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", unknown);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=99999999999999999999", "limit")]
    [InlineData("limit=", "limit")]
    [InlineData("limit=1&limit=2", "limit")]
    [InlineData("order=ASC", "order")]
    [InlineData("order=newest", "order")]
    [InlineData("order=asc&order=desc", "order")]
    [InlineData("after=", "after")]
    [InlineData("after=msg_unknown", "after")]
    [InlineData("after=msg_a&after=msg_b", "after")]
    public async Task Bad_page_parameters_are_refused_with_400_in_openai_shape(string query, string param)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));
        var id = await ConversationAsync(router, key: null);

        var refused = await AccessKit.SendAsync(router, HttpMethod.Get, $"/v1/responses/{id}/input_items?{query}", remote: false);

        var error = AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", refused);
        Assert.Equal(param, error["param"]!.GetValue<string>());
    }

    /// <summary>A response continuing another: its input is the first's two items, the first's output, then a question.</summary>
    private static async Task<string> ConversationAsync(RouterHarness router, string? key)
    {
        var (status, first, _) = await AccessKit.PostAsync(router, "/v1/responses", FirstBody, key, remote: key is not null);
        Assert.Equal(HttpStatusCode.OK, status);
        var (continued, second, _) = await AccessKit.PostAsync(router, "/v1/responses",
            $$"""{"model":"fake/gpt-test","input":"What is my name?","previous_response_id":"{{first!["id"]!.GetValue<string>()}}"}""", key, remote: key is not null);
        Assert.Equal(HttpStatusCode.OK, continued);
        return second!["id"]!.GetValue<string>();
    }

    /// <summary>The id of an item kept without one: its type's prefix, then the first 48 hex digits of SHA-256("{response id}/{place}").</summary>
    private static string Derived(string prefix, string responseId, int index) =>
        prefix + "_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{responseId}/{index}")))[..48];

    private static (string? First, string? Last, bool HasMore) Page(JsonNode list)
    {
        var data = list["data"]!.AsArray();
        Assert.Equal(data[0]!["id"]!.GetValue<string>(), list["first_id"]!.GetValue<string>());
        Assert.Equal(data[^1]!["id"]!.GetValue<string>(), list["last_id"]!.GetValue<string>());
        return (list["first_id"]!.GetValue<string>(), list["last_id"]!.GetValue<string>(), list["has_more"]!.GetValue<bool>());
    }
}
