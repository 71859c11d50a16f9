using System.ClientModel;
using System.Net;
using System.Text.Json.Nodes;
using OpenAI.Responses;

namespace LlmRouter.Api.Tests.Responses;

#pragma warning disable OPENAI001 // The SDK marks its Responses client experimental.

/// <summary>DELETE /v1/responses/{id}: the key that created a kept response, or an admin, deletes it; to anyone else it does not exist.</summary>
public sealed class ResponsesDeleteTests
{
    private const string Body = """{"model":"fake/gpt-test","input":"My name is Ada."}""";

    [Fact]
    public async Task The_sdk_deletes_a_kept_response_which_can_then_be_neither_read_nor_continued_nor_deleted_again()
    {
        var (fake, router) = await AccessKit.StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var id = await CreateAsync(router, AccessKit.UserKey);
        var client = ResponsesApiTests.Client(router, AccessKit.UserKey);

        var deleted = (await client.DeleteResponseAsync(id)).Value;

        Assert.Equal((id, "response", true), (deleted.ResponseId, deleted.Object, deleted.Deleted));
        var fetched = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/" + id, credential: AccessKit.UserKey);
        AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", fetched);
        var continued = await AccessKit.PostAsync(router, "/v1/responses",
            $$"""{"model":"fake/gpt-test","input":"And my name?","previous_response_id":"{{id}}"}""", AccessKit.UserKey);
        AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "previous_response_not_found", continued);
        var again = await Assert.ThrowsAsync<ClientResultException>(() => client.DeleteResponseAsync(id));
        Assert.Equal(404, again.Status);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Another_tenants_key_gets_404_and_deletes_nothing_while_an_admin_may_delete()
    {
        var (fake, router) = await AccessKit.StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var id = await CreateAsync(router, AccessKit.UserKey);

        var other = await AccessKit.SendAsync(router, HttpMethod.Delete, "/v1/responses/" + id, credential: AccessKit.LimitedKey);

        var error = AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", other);
        Assert.Equal($"Response with id '{id}' not found.", error["message"]!.GetValue<string>());
        var owner = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/" + id, credential: AccessKit.UserKey);
        Assert.Equal(HttpStatusCode.OK, owner.Status);

        var admin = await AccessKit.SendAsync(router, HttpMethod.Delete, "/v1/responses/" + id, credential: AccessKit.AdminKey);

        Assert.Equal(HttpStatusCode.OK, admin.Status);
        Assert.Equal("application/json", admin.Response.Content.Headers.ContentType!.MediaType);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"id":"{{id}}","object":"response","deleted":true}"""), admin.Body), admin.Body!.ToJsonString());
        var gone = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/" + id, credential: AccessKit.UserKey);
        AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", gone);
    }

    [Fact]
    public async Task A_remote_caller_without_a_key_gets_401_and_the_response_stays()
    {
        var (fake, router) = await AccessKit.StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var id = await CreateAsync(router, AccessKit.UserKey);

        var refused = await AccessKit.SendAsync(router, HttpMethod.Delete, "/v1/responses/" + id);

        AccessKit.AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", refused);
        var owner = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/" + id, credential: AccessKit.UserKey);
        Assert.Equal(HttpStatusCode.OK, owner.Status);
    }

    [Theory]
    [InlineData("resp_nothing")]
    [InlineData("resp_x'%20OR%20'1'%3D'1")]
    [InlineData("resp_%E2%80%AE%F0%9F%98%80")]
    [InlineData("resp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task An_id_that_names_no_kept_response_answers_404_in_openai_shape_and_deletes_nothing(string id)
    {
        var (fake, router) = await AccessKit.StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var kept = await CreateAsync(router, AccessKit.UserKey);

        var missing = await AccessKit.SendAsync(router, HttpMethod.Delete, "/v1/responses/" + id, credential: AccessKit.AdminKey);

        AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", missing);
        var owner = await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/responses/" + kept, credential: AccessKit.UserKey);
        Assert.Equal(HttpStatusCode.OK, owner.Status);
    }

    private static async Task<string> CreateAsync(RouterHarness router, string key)
    {
        var (status, created, _) = await AccessKit.PostAsync(router, "/v1/responses", Body, key);
        Assert.Equal(HttpStatusCode.OK, status);
        return created!["id"]!.GetValue<string>();
    }
}
