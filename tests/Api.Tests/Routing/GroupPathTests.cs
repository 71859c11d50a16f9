using System.Net;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests.Routing;

/// <summary>A model group is called by name on the model-specific paths and can be bound to a session, as a model can.</summary>
public sealed class GroupPathTests
{
    private const string Pool = """
        [[model_groups]]
        name = "pool"
        strategy = "roundrobin"
        members = [{ model = "fake/a" }, { model = "fake/b" }]
        """;

    [Fact]
    public async Task A_group_answers_on_its_invoke_and_chat_completions_paths()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b", "c"], Pool);
        await using var _ = fake;
        await using var __ = router;

        var invoke = await RoutingKit.AsKeyAsync(router, RoutingKit.UserKey, HttpMethod.Post, "/models/pool/invoke", """{"prompt":"hi"}""");
        var chat = await RoutingKit.AsKeyAsync(router, RoutingKit.UserKey, HttpMethod.Post, "/models/pool/v1/chat/completions",
            """{"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, invoke.Status);
        Assert.Equal(("from a", "fake/a"), (invoke.Body!["output_text"]!.GetValue<string>(), invoke.Body["model"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, chat.Status);
        Assert.Equal("from b", chat.Body!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal(["a", "b"], RoutingKit.Called(fake));
        Assert.All(fake.Requests, r => Assert.Equal("/v1/chat/completions", r.Path));
        var rows = await router.InvocationsAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal("pool", row.Group));
    }

    [Fact]
    public async Task An_unknown_name_on_those_paths_is_404_model_not_found()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Pool);
        await using var _ = fake;
        await using var __ = router;

        var invoke = await RoutingKit.AsKeyAsync(router, RoutingKit.UserKey, HttpMethod.Post, "/models/nope/invoke", """{"prompt":"hi"}""");

        var error = AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "model_not_found", invoke);
        Assert.Contains("nope", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task A_group_can_be_bound_to_a_session_and_serves_its_requests()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b", "c"], Pool);
        await using var _ = fake;
        await using var __ = router;
        var token = await AccessKit.LoginAsync(router, RoutingKit.UserKey);

        var (status, bound, _) = await RoutingKit.AsKeyAsync(router, token, HttpMethod.Post, "/auth/bind-model", """{"model_name":"pool"}""");
        var first = await RoutingKit.AsKeyAsync(router, token, HttpMethod.Post, "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}]}""");
        var second = await RoutingKit.AsKeyAsync(router, token, HttpMethod.Post, "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(bound!["provider_name"]);
        Assert.Equal("pool", bound["model_name"]!.GetValue<string>());
        Assert.Contains("pool", bound["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.Status, second.Status));
        Assert.Equal(["a", "b"], RoutingKit.Called(fake));
        Assert.All(await router.InvocationsAsync(), row => Assert.Equal("pool", row.Group));
    }

    [Fact]
    public async Task Binding_a_group_needs_a_member_the_key_may_use_and_a_name_that_exists()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b", "c"], Pool);
        await using var _ = fake;
        await using var __ = router;
        var (created, key, _) = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Post, "/api-keys",
            """{"name":"only-c","allowed_models":["fake/c"]}""");
        var token = await AccessKit.LoginAsync(router, key!["key"]!.GetValue<string>());

        var denied = await RoutingKit.AsKeyAsync(router, token, HttpMethod.Post, "/auth/bind-model", """{"model_name":"pool"}""");
        var unknown = await RoutingKit.AsKeyAsync(router, token, HttpMethod.Post, "/auth/bind-model", """{"model_name":"no-such-group"}""");
        var model = await RoutingKit.AsKeyAsync(router, token, HttpMethod.Post, "/auth/bind-model", """{"provider_name":"fake","model_name":"c"}""");

        Assert.Equal(HttpStatusCode.Created, created);
        AccessKit.AssertError(HttpStatusCode.Forbidden, "permission_error", "model_not_allowed", denied);
        AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "model_not_found", unknown);
        Assert.Equal(HttpStatusCode.OK, model.Status);
        Assert.Equal(("fake", "c"), (model.Body!["provider_name"]!.GetValue<string>(), model.Body["model_name"]!.GetValue<string>()));
        Assert.Empty(fake.Requests);
    }
}
