using System.ClientModel;
using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests;

/// <summary>A key's allowed models and providers (403 otherwise) and parameter limits (clamped before the upstream).</summary>
public sealed class KeyPolicyTests
{
    [Fact]
    public async Task A_model_outside_allowed_models_is_403_and_never_reaches_the_upstream()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var refused = await Assert.ThrowsAsync<ClientResultException>(() =>
            OpenAiChat(router, "fake/gpt-second", LimitedKey).CompleteChatAsync([new UserChatMessage("hi")]));
        var raw = await PostAsync(router, "/v1/chat/completions", ChatBody("fake/gpt-second"), LimitedKey);
        var allowed = await PostAsync(router, "/v1/chat/completions", ChatBody("other/chat-x"), LimitedKey);

        Assert.Equal(403, refused.Status);
        var error = AssertError(HttpStatusCode.Forbidden, "permission_error", "model_not_allowed", raw);
        Assert.Equal("model", error["param"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal("chat-x", fake.Single().Json["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_provider_outside_allowed_providers_is_403()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var refused = await PostAsync(router, "/v1/chat/completions", ChatBody("fake/gpt-test"), ProviderLimitedKey);
        var bareName = await PostAsync(router, "/v1/chat/completions", ChatBody("gpt-test"), ProviderLimitedKey);
        var allowed = await PostAsync(router, "/v1/chat/completions", ChatBody("other/chat-x"), ProviderLimitedKey);

        AssertError(HttpStatusCode.Forbidden, "permission_error", "provider_not_allowed", refused);
        AssertError(HttpStatusCode.Forbidden, "permission_error", "provider_not_allowed", bareName);
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Parameters_above_the_limits_are_clamped_in_what_the_upstream_gets_and_the_log_records()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        await OpenAiChat(router, "fake/gpt-test", LimitedKey).CompleteChatAsync(
            [new UserChatMessage("hi")],
            new ChatCompletionOptions { MaxOutputTokenCount = 500, Temperature = 0.9f, TopP = 0.95f });

        var sent = fake.Single().Json;
        Assert.Equal(100, sent["max_completion_tokens"]!.GetValue<int>());
        Assert.Null(sent["max_tokens"]);
        Assert.Equal(0.5, sent["temperature"]!.GetValue<double>(), 6);
        Assert.Equal(0.8, sent["top_p"]!.GetValue<double>(), 6);
        var record = Assert.Single(await router.InvocationsAsync());
        var full = await router.Services.GetRequiredService<IInvocationLog>().GetAsync(record.Id);
        var logged = JsonNode.Parse(full!.RequestBody!)!;
        Assert.Equal(100, logged["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(0.5, logged["temperature"]!.GetValue<double>(), 6);
        Assert.Equal(0.8, logged["top_p"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task A_missing_max_tokens_becomes_the_limit_and_values_within_limits_stay()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        await OpenAiChat(router, "fake/gpt-test", LimitedKey).CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { Temperature = 0.25f });

        var sent = fake.Single().Json;
        Assert.Equal(100, sent["max_tokens"]!.GetValue<int>());
        Assert.Equal(0.25, sent["temperature"]!.GetValue<double>(), 6);
        Assert.Null(sent["top_p"]);
    }

    [Fact]
    public async Task Streamed_calls_are_clamped_too()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        await foreach (var update in OpenAiChat(router, "fake/gpt-test", LimitedKey).CompleteChatStreamingAsync(
            [new UserChatMessage("hi")], new ChatCompletionOptions { MaxOutputTokenCount = 4096, Temperature = 2f }))
        {
            Assert.NotNull(update);
        }

        var sent = fake.Single().Json;
        Assert.True(sent["stream"]!.GetValue<bool>());
        Assert.Equal(100, sent["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(0.5, sent["temperature"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task Native_invoke_and_the_model_path_endpoint_apply_the_same_policy()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var invoked = await PostAsync(router, "/models/fake/gpt-test/invoke", """{"prompt":"你好","parameters":{"max_tokens":1000,"top_p":1}}""", LimitedKey);
        var invokeRefused = await PostAsync(router, "/models/fake/gpt-second/invoke", """{"prompt":"你好"}""", LimitedKey);
        var pathRefused = await PostAsync(router, "/models/fake/gpt-second/v1/chat/completions", ChatBody(null), LimitedKey);
        var pathAllowed = await PostAsync(router, "/models/fake/gpt-test/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"max_tokens":101}""", LimitedKey);

        Assert.Equal(HttpStatusCode.OK, invoked.Status);
        AssertError(HttpStatusCode.Forbidden, "permission_error", "model_not_allowed", invokeRefused);
        AssertError(HttpStatusCode.Forbidden, "permission_error", "model_not_allowed", pathRefused);
        Assert.Equal(HttpStatusCode.OK, pathAllowed.Status);
        var sent = fake.Requests.Select(r => r.Json).ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Equal((100, 0.8), (sent[0]["max_tokens"]!.GetValue<int>(), sent[0]["top_p"]!.GetValue<double>()));
        Assert.Equal(100, sent[1]["max_tokens"]!.GetValue<int>());
        Assert.All(await router.InvocationsAsync(), r => Assert.Equal("limited", r.ApiKeyName));
    }

    [Fact]
    public async Task A_limited_parameter_that_is_not_a_number_is_400()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var refused = await PostAsync(router, "/v1/chat/completions",
            """{"model":"fake/gpt-test","max_tokens":"lots","messages":[{"role":"user","content":"hi"}]}""", LimitedKey);
        var unlimited = await PostAsync(router, "/v1/chat/completions",
            """{"model":"fake/gpt-test","max_tokens":5000,"temperature":1.7,"messages":[{"role":"user","content":"hi"}]}""", UserKey);

        var error = AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", refused);
        Assert.Equal("max_tokens", error["param"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, unlimited.Status);
        var sent = fake.Single().Json;
        Assert.Equal((5000, 1.7), (sent["max_tokens"]!.GetValue<int>(), sent["temperature"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Model_lists_show_a_key_only_what_it_may_call()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        Assert.Equal(["fake/gpt-second", "fake/gpt-test", "other/chat-x"], await OpenAiModelIdsAsync(router, UserKey));
        Assert.Equal(["fake/gpt-test", "other/chat-x"], await OpenAiModelIdsAsync(router, LimitedKey));
        Assert.Equal(["other/chat-x"], await OpenAiModelIdsAsync(router, ProviderLimitedKey));
        var native = await SendAsync(router, HttpMethod.Get, "/models", credential: LimitedKey);
        Assert.Equal(HttpStatusCode.OK, native.Status);
        Assert.Equal(["fake/gpt-test", "other/chat-x"],
            native.Body!.AsArray().Select(m => $"{m!["provider"]}/{m["name"]}").Order(StringComparer.Ordinal));
    }

    private static async Task<IEnumerable<string>> OpenAiModelIdsAsync(RouterHarness router, string key)
    {
        var (status, body, _) = await SendAsync(router, HttpMethod.Get, "/v1/models", credential: key);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
    }
}
