using System.ClientModel;
using System.Net;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests;

/// <summary>Credentials in each accepted place, refusals in OpenAI's (or Anthropic's) shape, and the localhost rule.</summary>
public sealed class AuthenticationTests
{
    [Fact]
    public async Task Remote_request_without_credentials_is_401_and_never_reaches_the_upstream()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var refused = await PostAsync(router, "/v1/chat/completions", ChatBody());

        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", refused);
        Assert.StartsWith("Bearer", refused.Response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(fake.Requests);
        Assert.Empty(await router.InvocationsAsync());
    }

    [Theory]
    [InlineData(CredentialPlace.Bearer)]
    [InlineData(CredentialPlace.Header)]
    [InlineData(CredentialPlace.Query)]
    public async Task A_key_in_each_accepted_place_authenticates_a_remote_request(CredentialPlace place)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var (status, body, _) = await PostAsync(router, "/v1/chat/completions", ChatBody(), UserKey, place);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("chat.completion", body!["object"]!.GetValue<string>());
        var sent = fake.Single();
        // The client's key authenticates to the router only; the upstream gets the provider's own key.
        Assert.Equal("Bearer " + UpstreamKey, sent.Header("Authorization"));
        Assert.Null(sent.Header("X-API-Key"));
        Assert.DoesNotContain(UserKey, sent.Query + sent.Body, StringComparison.Ordinal);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal("user", logged.ApiKeyName);
        Assert.StartsWith("cfg_", logged.ApiKeyId);
        Assert.Null(logged.SessionId);
    }

    [Theory]
    [InlineData(CredentialPlace.Bearer, "sk-not-a-real-key-000")]
    [InlineData(CredentialPlace.Header, "sk-not-a-real-key-000")]
    [InlineData(CredentialPlace.Query, "sk-not-a-real-key-000")]
    [InlineData(CredentialPlace.Bearer, DisabledKey)]
    [InlineData(CredentialPlace.Header, DisabledKey)]
    [InlineData(CredentialPlace.Query, DisabledKey)]
    [InlineData(CredentialPlace.Bearer, "lrs_not-a-session-token")]
    public async Task Wrong_and_disabled_keys_are_401_in_every_place(CredentialPlace place, string credential)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var refused = await PostAsync(router, "/v1/chat/completions", ChatBody(), credential, place);

        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", refused);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task OpenAI_SDK_authenticates_with_a_key_and_gets_401_for_a_wrong_one()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var completion = (await OpenAiChat(router, "fake/gpt-test", UserKey).CompleteChatAsync([new UserChatMessage("hi")])).Value;
        var refused = await Assert.ThrowsAsync<ClientResultException>(() =>
            OpenAiChat(router, "fake/gpt-test", "sk-wrong-key-12345").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal("Hello from the fake upstream", completion.Content[0].Text);
        Assert.Equal(401, refused.Status);
        Assert.Single(fake.Requests);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "127.0.0.1")]
    [InlineData("X-Forwarded-For", AccessKit.RemoteClient)]
    [InlineData("Forwarded", "for=127.0.0.1")]
    [InlineData("X-Real-IP", "127.0.0.1")]
    public async Task A_loopback_request_carrying_a_forwarding_header_is_remote(string header, string value)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var local = await SendAsync(router, HttpMethod.Post, "/v1/chat/completions", ChatBody(), remote: false);
        var forwarded = await SendAsync(router, HttpMethod.Post, "/v1/chat/completions", ChatBody(), remote: false, headers: [(header, value)]);

        Assert.Equal(HttpStatusCode.OK, local.Status);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", forwarded);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task A_local_request_needs_no_credential_but_a_key_it_presents_still_binds_it()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var anonymous = await SendAsync(router, HttpMethod.Post, "/v1/chat/completions", ChatBody("fake/gpt-second"), remote: false);
        var limited = await SendAsync(router, HttpMethod.Post, "/v1/chat/completions", ChatBody("fake/gpt-second"), LimitedKey, remote: false);
        // The seeds let local clients send any placeholder key (the SDK needs one): it is ignored, not refused.
        var placeholder = await SendAsync(router, HttpMethod.Post, "/v1/chat/completions", ChatBody("fake/gpt-second"), "dummy", remote: false);

        Assert.Equal(HttpStatusCode.OK, anonymous.Status);
        AssertError(HttpStatusCode.Forbidden, "permission_error", "model_not_allowed", limited);
        Assert.Equal(HttpStatusCode.OK, placeholder.Status);
        Assert.Equal(2, fake.Requests.Count);
        // The calls made went under no key; the refused one is logged under the key that was presented.
        var logged = await router.InvocationsAsync();
        Assert.All(logged.Where(r => r.Status == InvocationStatus.Success), r => Assert.Null(r.ApiKeyId));
        Assert.Equal("limited", Assert.Single(logged, r => r.Status == InvocationStatus.Rejected).ApiKeyName);
    }

    [Fact]
    public async Task With_localhost_bypass_off_local_requests_need_credentials_too()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_LOCALHOST_BYPASS", "false"));
        await using var _ = fake;
        await using var __ = router;

        var refused = await SendAsync(router, HttpMethod.Post, "/v1/chat/completions", ChatBody(), remote: false);
        var admitted = await SendAsync(router, HttpMethod.Post, "/v1/chat/completions", ChatBody(), UserKey, remote: false);

        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", refused);
        Assert.Equal(HttpStatusCode.OK, admitted.Status);
    }

    [Fact]
    public async Task With_auth_not_required_remote_requests_pass_without_credentials()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_REQUIRE_AUTH", "false"));
        await using var _ = fake;
        await using var __ = router;

        var anonymous = await PostAsync(router, "/v1/chat/completions", ChatBody());
        var limited = await PostAsync(router, "/v1/chat/completions", ChatBody("fake/gpt-second"), LimitedKey);

        Assert.Equal(HttpStatusCode.OK, anonymous.Status);
        AssertError(HttpStatusCode.Forbidden, "permission_error", "model_not_allowed", limited);
    }

    [Fact]
    public async Task Health_needs_no_credentials_while_model_listings_do()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_LOCALHOST_BYPASS", "false"));
        await using var _ = fake;
        await using var __ = router;

        var health = await SendAsync(router, HttpMethod.Get, "/health");
        var models = await SendAsync(router, HttpMethod.Get, "/v1/models");
        var native = await SendAsync(router, HttpMethod.Get, "/models?tag=chat");
        var nativeWithKey = await SendAsync(router, HttpMethod.Get, "/models?tag=chat", credential: UserKey);

        Assert.Equal(HttpStatusCode.OK, health.Status);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", models);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", native);
        Assert.Equal(HttpStatusCode.OK, nativeWithKey.Status);
        // In tag routing's order of preference: equal priority, no latency seen yet, so the cheaper first.
        Assert.Equal(["fake/gpt-second", "fake/gpt-test"], nativeWithKey.Body!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Anthropic_messages_path_answers_401_in_anthropic_shape()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var refused = await PostAsync(router, "/v1/messages", """{"model":"fake/gpt-test","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", "sk-wrong-key-12345", CredentialPlace.Header);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("error", refused.Body!["type"]!.GetValue<string>());
        Assert.Equal("authentication_error", refused.Body["error"]!["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(refused.Body["error"]!["message"]!.GetValue<string>()));
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Anthropic_SDK_sees_a_refused_key_as_unauthorized()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_LOCALHOST_BYPASS", "false"));
        await using var _ = fake;
        await using var __ = router;
        var client = new AnthropicClient { ApiKey = "sk-wrong-key-12345", BaseUrl = router.BaseUrl.ToString().TrimEnd('/'), MaxRetries = 0 };

        await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => client.Messages.Create(new MessageCreateParams
        {
            Model = "fake/gpt-test",
            MaxTokens = 10,
            Messages = [new MessageParam { Role = Role.User, Content = "hi" }],
        }));
        Assert.Empty(fake.Requests);
    }
}
