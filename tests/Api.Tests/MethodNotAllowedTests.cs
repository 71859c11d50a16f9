using System.Net;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests;

/// <summary>A known path called with the wrong method is 405 with an Allow header, in the error shape of the path's API.</summary>
public sealed class MethodNotAllowedTests
{
    [Theory]
    [InlineData("GET", "/v1/chat/completions", "POST")]
    [InlineData("DELETE", "/api-keys", "GET, POST")]
    [InlineData("GET", "/auth/login", "POST")]
    [InlineData("PUT", "/api-keys/key_0123456789abcdef", "DELETE, GET, PATCH")]
    [InlineData("POST", "/v1/models", "GET")]
    [InlineData("DELETE", "/monitor/invocations", "GET")]
    public async Task A_wrong_method_on_a_known_path_is_405_in_openai_shape(string method, string path, string allow)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var refused = await SendAsync(router, new HttpMethod(method), path, credential: AdminKey);

        var error = AssertError(HttpStatusCode.MethodNotAllowed, "invalid_request_error", "method_not_allowed", refused);
        Assert.Equal(allow, string.Join(", ", refused.Response.Content.Headers.Allow));
        Assert.Equal($"{method} is not allowed on {path}; use {allow.Replace(", ", " or ", StringComparison.Ordinal)}.", error["message"]!.GetValue<string>());
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task A_wrong_method_on_the_messages_path_is_405_in_anthropic_shape()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var refused = await SendAsync(router, HttpMethod.Get, "/v1/messages", credential: UserKey);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.Status);
        Assert.Equal("POST", string.Join(", ", refused.Response.Content.Headers.Allow));
        Assert.Equal("error", refused.Body!["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", refused.Body["error"]!["type"]!.GetValue<string>());
        Assert.Equal("GET is not allowed on /v1/messages; use POST.", refused.Body["error"]!["message"]!.GetValue<string>());
        Assert.Null(refused.Body["error"]!["code"]);
    }

    [Fact]
    public async Task Unknown_paths_stay_404_and_a_caller_without_a_key_learns_nothing()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var unknown = await SendAsync(router, HttpMethod.Get, "/v1/nowhere", credential: UserKey);
        var anthropicSub = await SendAsync(router, HttpMethod.Post, "/v1/messages/batches", "{}", UserKey);
        var anonymous = await SendAsync(router, HttpMethod.Get, "/v1/chat/completions");

        AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", unknown);
        Assert.Equal((HttpStatusCode.NotFound, "not_found_error"), (anthropicSub.Status, anthropicSub.Body!["error"]!["type"]!.GetValue<string>()));
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", anonymous);
        Assert.Empty(anonymous.Response.Content.Headers.Allow);
    }
}
