namespace LlmRouter.Abstractions.Configuration;

/// <summary>The response pipelines a model (<c>pipeline = "…"</c>) or an API key may name.</summary>
public static class PipelineNames
{
    /// <summary>Answers pass through unchanged.</summary>
    public const string Default = "default";

    /// <summary>Reasoning (<c>reasoning_content</c>) is put into the content between <c>&lt;think&gt;</c> tags.</summary>
    public const string ThinkTags = "think_tags";

    /// <summary>The seeds' name for <see cref="ThinkTags"/> (a key "purpose" for Cursor).</summary>
    public const string Cursor = "cursor";

    public static IReadOnlyList<string> All { get; } = [Default, ThinkTags, Cursor];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
