using System.Text.Json.Nodes;

namespace LlmRouter.Grains.Routing.Rules;

/// <summary>What rules look at in one request, computed at most once and only when a rule asks.</summary>
public sealed class RuleSubject(JsonObject? body, string? requested, string? resolved)
{
    private string? _text;
    private int? _complexity;

    /// <summary>The model name as the client wrote it.</summary>
    public string? Requested => requested;

    /// <summary>What that name resolved to (a model id or a group name), when it resolved.</summary>
    public string? Resolved => resolved;

    public string Text => _text ??= body is null ? "" : LastUserMessage.Of(body);

    public int Complexity => _complexity ??= ComplexityScore.Of(Text);
}
