using System.Text.Json.Nodes;
using LlmRouter.Api.Chat;
using LlmRouter.Api.ClientFormats;
using LlmRouter.Api.ClientFormats.OpenAi;
using LlmRouter.Api.Pipeline;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Grains.Routing;

namespace LlmRouter.Api.Tests.Pipeline;

/// <summary>
/// The admit step on its own, over a node's real limit grains: an admitted call gets its reservation, and a refusal
/// comes back as a value (429 with its retry time) while nothing is written to the client, so each front door answers
/// it in its own shape.
/// </summary>
public sealed class AdmitStepTests
{
    private const string Models = """
        [[models]]
        name = "limited"
        provider = "fake"
        [models.rate_limit]
        max_requests = 1
        per_seconds = 3600

        [[models]]
        name = "open"
        provider = "fake"
        """;

    [Fact]
    public async Task A_call_beyond_the_window_is_refused_as_a_value_and_nothing_is_written()
    {
        await using var router = await StartAsync();
        var step = router.Services.GetRequiredService<AdmitStep>();

        var first = Call(router, "fake/limited");
        Assert.Null(await step.AdmitAsync(first));
        Assert.NotNull(first.Invocation!.Reservation);

        var second = Call(router, "fake/limited");
        var refusal = await step.AdmitAsync(second);

        Assert.Equal((429, "rate_limit_exceeded"), (refusal!.Status, refusal.Code));
        Assert.NotNull(refusal.RetryAfter);
        Assert.Null(second.Invocation!.Reservation);
        Assert.Equal("", await PipelineKit.AnswerAsync(second.Http));
    }

    [Fact]
    public async Task An_unlimited_call_is_admitted_with_a_reservation_that_holds_nothing()
    {
        await using var router = await StartAsync();
        var call = Call(router, "fake/open");

        Assert.Null(await router.Services.GetRequiredService<AdmitStep>().AdmitAsync(call));

        Assert.Equal((false, 0L), (call.Invocation!.Reservation!.IsHeld, call.Invocation.Reservation.Tokens));
    }

    private static Task<RouterHarness> StartAsync() =>
        RouterHarness.StartAsync(RouterHarness.Toml(new Uri("http://127.0.0.1:9/v1"), Models), new Dictionary<string, string> { ["FAKE_UPSTREAM_KEY"] = "sk-upstream" });

    private static ChatCall Call(RouterHarness router, string modelId)
    {
        var model = router.Services.GetRequiredService<ModelCatalogSource>().Current.Resolve(modelId).Model!;
        var body = new JsonObject { ["model"] = model.Model.UpstreamName, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }) };
        return new ChatCall(PipelineKit.Request(), OpenAiProtocol.FromBody) { Invocation = new ChatInvocation(model, body, ClientFormatNames.OpenAi) };
    }
}
