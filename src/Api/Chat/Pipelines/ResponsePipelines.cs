namespace LlmRouter.Api.Chat.Pipelines;

/// <summary>The built-in response pipelines by name; <c>default</c> (or none) means answers pass unchanged.</summary>
public static class ResponsePipelines
{
    private static readonly ThinkTagsPipeline ThinkTags = new();

    /// <summary>The pipeline a name stands for, or null for none (unknown names included: the binder refuses them for models).</summary>
    public static IResponsePipeline? Resolve(string? name) => name switch
    {
        PipelineNames.ThinkTags or PipelineNames.Cursor => ThinkTags,
        _ => null,
    };
}
