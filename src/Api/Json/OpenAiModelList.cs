namespace LlmRouter.Api.Json;

/// <summary>GET /v1/models: OpenAI's list shape.</summary>
public sealed record OpenAiModelList(IReadOnlyList<OpenAiModel> Data)
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Serialized as an instance property.")]
    public string Object => "list";
}
