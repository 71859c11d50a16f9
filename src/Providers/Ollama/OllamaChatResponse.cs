using System.Globalization;

namespace LlmRouter.Providers.Ollama;

/// <summary>One Ollama <c>ChatResponse</c> (a whole answer, or one NDJSON line of a stream), in OpenAI terms.</summary>
internal sealed record OllamaChatResponse
{
    public string Content { get; init; } = "";
    public string Thinking { get; init; } = "";

    /// <summary>Tool calls as OpenAI tool-call objects; ids are made up when Ollama gives none.</summary>
    public JsonArray ToolCalls { get; init; } = [];

    public bool Done { get; init; }
    public string? DoneReason { get; init; }
    public TokenUsage Usage { get; init; }
    public string? Model { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Reads one response; <paramref name="firstCallIndex"/> numbers made-up call ids across a stream.</summary>
    public static OllamaChatResponse Read(JsonElement root, int firstCallIndex = 0)
    {
        var message = JsonRead.Property(root, "message", JsonValueKind.Object) ?? default;
        var calls = new JsonArray();
        if (JsonRead.Property(message, "tool_calls", JsonValueKind.Array) is { } toolCalls)
        {
            foreach (var call in toolCalls.EnumerateArray())
            {
                var function = JsonRead.Property(call, "function", JsonValueKind.Object) ?? default;
                var arguments = function.ValueKind == JsonValueKind.Object && function.TryGetProperty("arguments", out var args)
                    ? args.ValueKind == JsonValueKind.String ? args.GetString()! : args.GetRawText()
                    : "{}";
                var id = JsonRead.String(call, "id") ?? "call_" + (firstCallIndex + calls.Count).ToString(CultureInfo.InvariantCulture);
                calls.Add(OpenAiOutput.ToolCall(id, JsonRead.String(function, "name") ?? "", arguments));
            }
        }
        return new OllamaChatResponse
        {
            Content = JsonRead.String(message, "content") ?? "",
            Thinking = JsonRead.String(message, "thinking") ?? "",
            ToolCalls = calls,
            Done = root.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True,
            DoneReason = JsonRead.String(root, "done_reason"),
            Usage = new TokenUsage(JsonRead.Long(root, "prompt_eval_count") ?? 0, JsonRead.Long(root, "eval_count") ?? 0),
            Model = JsonRead.String(root, "model"),
            CreatedAt = DateTimeOffset.TryParse(JsonRead.String(root, "created_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
        };
    }

    public static string ToFinishReason(string? doneReason, bool calledTools) => doneReason switch
    {
        "length" => "length",
        _ when calledTools => "tool_calls",
        _ => "stop",
    };
}
