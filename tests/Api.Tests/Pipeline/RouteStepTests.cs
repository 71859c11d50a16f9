using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Access;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Auth.Keys;
using LlmRouter.Api.ClientFormats.OpenAi;
using LlmRouter.Api.Errors;
using LlmRouter.Api.Pipeline;
using LlmRouter.Grains.Routing;
using LlmRouter.Grains.Routing.Balancing;
using LlmRouter.Grains.Routing.Rules;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Api.Tests.Pipeline;

/// <summary>
/// The route step on its own: the key's policy is applied once, while routing (a fallback the key may not use is dropped
/// from the candidates, a key that may use none is refused), its parameter limits clamp the body, a request that only
/// one wire API understands goes only to candidates speaking it, and tags choose no model while routing is off.
/// </summary>
public sealed class RouteStepTests
{
    [Fact]
    public async Task A_fallback_the_key_may_not_use_is_dropped_from_the_candidates()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var call = Call("alpha/a", new ApiKeyRecord { Id = "k1", Name = "alpha-only", AllowedProviders = ["alpha"] });

        Assert.Null(await Step(kit).RouteAsync(call));

        Assert.Equal(["alpha/a"], call.Route!.Candidates.Select(m => m.Id));
        Assert.Equal(["alpha/a"], call.Invocation!.Candidates.Select(m => m.Id));
        Assert.Equal("a-upstream", call.Invocation.Body["model"]!.GetValue<string>());
        Assert.Equal(("k1", "openai"), (call.Invocation.Caller.ApiKeyId, call.Invocation.ClientFormat));
    }

    [Fact]
    public async Task A_key_that_may_use_no_candidate_is_refused_with_403()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var call = Call("alpha/a", new ApiKeyRecord { Id = "k2", Name = "c-only", AllowedModels = ["alpha/c"] });

        var refusal = await Step(kit).RouteAsync(call);

        Assert.Equal((403, "model_not_allowed"), (refusal!.Status, refusal.Code));
        Assert.Null(call.Invocation);
    }

    [Fact]
    public async Task The_keys_parameter_limits_clamp_the_body_sent_upstream()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var call = Call("alpha/c", new ApiKeyRecord { Id = "k3", Name = "short", ParameterLimits = new ParameterLimits { MaxTokens = 50 } });
        call.Request!.Body["max_tokens"] = JsonNode.Parse("4000");

        Assert.Null(await Step(kit).RouteAsync(call));

        Assert.Equal(50, call.Invocation!.Body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_request_only_one_wire_api_understands_goes_only_to_candidates_speaking_it()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var none = new ApiError(400, "invalid_request_error", "nothing speaks it");
        var restricted = Call("alpha/a", key: null);
        restricted.Request = restricted.Request! with { Restriction = new CandidateRestriction(WireApis.Anthropic, _ => none) };

        Assert.Null(await Step(kit).RouteAsync(restricted));
        Assert.Equal(["beta/b"], restricted.Invocation!.Candidates.Select(m => m.Id));

        var onlyAlpha = Call("alpha/c", key: null);
        onlyAlpha.Request = onlyAlpha.Request! with { Restriction = new CandidateRestriction(WireApis.Anthropic, _ => none) };
        Assert.Same(none, await Step(kit).RouteAsync(onlyAlpha));
    }

    [Fact]
    public async Task Tags_choose_no_model_while_routing_is_off()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml + "\n[routing]\nenabled = false\n");
        var call = Call("alpha/a", key: null);
        call.Request = new ChatRequest(call.Request!.Body) { Tags = new TagRoute(["fast"], []) };

        var refusal = await Step(kit).RouteAsync(call);

        Assert.Equal((503, "routing_disabled"), (refusal!.Status, refusal.Code));
    }

    [Fact]
    public async Task Tags_no_model_has_answer_404_naming_them()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var call = Call("alpha/a", key: null);
        call.Request = new ChatRequest(call.Request!.Body) { Tags = new TagRoute(["fast", "cheap"], []) };

        var refusal = await Step(kit).RouteAsync(call);

        Assert.Equal((404, "No active model has all of the tags [fast, cheap]."), (refusal!.Status, refusal.Message));
    }

    private static ChatCall Call(string requested, ApiKeyRecord? key)
    {
        var body = new JsonObject
        {
            ["model"] = requested,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }),
        };
        return new ChatCall(PipelineKit.Request(), OpenAiProtocol.FromBody)
        {
            Access = new CallerAccess { Identity = new CallerIdentity { ApiKeyId = key?.Id, ApiKeyName = key?.Name }, Key = key },
            Request = new ChatRequest(body) { Requested = requested, NamesModel = true },
        };
    }

    private static RouteStep Step(PipelineKit kit)
    {
        var config = kit.Config;
        var latencies = new LatencyTracker(config);
        var statistics = new RoutingStatistics();
        var planner = new RoutePlanner(new GroupBalancer(BuiltInStrategies.Create(latencies, new InFlightTracker(), () => 0.5)), latencies, statistics);
        var dialect = kit.Database.Dialect;
        var sessions = new LoginSessions(new SessionStore(dialect), new SecretHasher(new DeploymentSecretStore(dialect), new RouterEnvironment([])), config, TimeProvider.System);
        // The toggle's grain is read only when the toggle changes; until then the configured state is in force.
        var toggle = new RouterToggle(grains: null!, config, TimeProvider.System);
        return new RouteStep(planner, new ModelCatalogSource(config), new RoutingRuleSource(config, new RoutingRuleStore(dialect)), toggle, sessions, config);
    }
}
