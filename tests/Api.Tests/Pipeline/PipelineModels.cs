using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.Chat;
using LlmRouter.Api.ClientFormats;
using LlmRouter.Grains.Routing;

namespace LlmRouter.Api.Tests.Pipeline;

/// <summary>A router.toml with two providers and three models, and chat invocations over them.</summary>
internal static class PipelineModels
{
    public const string Toml = """
        [[providers]]
        name = "alpha"
        type = "openai"
        base_url = "http://127.0.0.1:9/v1"

        [[providers]]
        name = "beta"
        type = "anthropic"
        base_url = "http://127.0.0.1:9/v1"

        [[models]]
        name = "a"
        provider = "alpha"
        upstream_model = "a-upstream"
        fallbacks = ["beta/b"]
        tags = ["fast"]

        [[models]]
        name = "b"
        provider = "beta"

        [[models]]
        name = "c"
        provider = "alpha"
        """;

    public static ResolvedModel Model(PipelineKit kit, string id) => new ModelCatalog(kit.Config.Current).Resolve(id).Model!;

    /// <summary>A call to the first of <paramref name="candidates"/>, then the others, holding a reservation.</summary>
    public static ChatInvocation Invocation(PipelineKit kit, params string[] candidates)
    {
        var models = candidates.Select(id => Model(kit, id)).ToArray();
        var body = new JsonObject
        {
            ["model"] = models[0].Model.UpstreamName,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello there" }),
        };
        return new ChatInvocation(models[0], body, ClientFormatNames.OpenAi)
        {
            Candidates = models,
            Reservation = Reservation.Nothing(),
        };
    }
}
