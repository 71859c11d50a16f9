using System.Text;

namespace LlmRouter.Api.Apis;

/// <summary>Answers with a JSON tree built by hand (definitions whose shape follows router.toml).</summary>
internal static class JsonNodeResults
{
    public static IResult Json(JsonNode node, int status = StatusCodes.Status200OK) =>
        Results.Content(node.ToJsonString(), "application/json", Encoding.UTF8, status);
}
