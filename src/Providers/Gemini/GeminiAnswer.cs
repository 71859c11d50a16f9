namespace LlmRouter.Providers.Gemini;

/// <summary>What one <c>GenerateContentResponse</c> (a whole answer, or one streamed piece of it) says, in OpenAI terms.</summary>
internal sealed class GeminiAnswer
{
    public string Text { get; private init; } = "";
    public string Reasoning { get; private init; } = "";
    public List<(string? Id, string Name, string Arguments)> FunctionCalls { get; } = [];

    /// <summary>Gemini's own finish reason (STOP, MAX_TOKENS, SAFETY, …), or BLOCKED when the prompt was refused.</summary>
    public string? FinishReason { get; private init; }

    public TokenUsage? Usage { get; private init; }
    public long CachedTokens { get; private init; }
    public string? ModelVersion { get; private init; }
    public string? ResponseId { get; private init; }

    public static GeminiAnswer Read(JsonElement root)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<(string?, string, string)>();
        string? finishReason = null;
        if (JsonRead.Property(root, "candidates", JsonValueKind.Array) is { } candidates && candidates.GetArrayLength() > 0)
        {
            var candidate = candidates[0];
            finishReason = JsonRead.String(candidate, "finishReason");
            var parts = JsonRead.Property(candidate, "content", JsonValueKind.Object) is { } content ? JsonRead.Property(content, "parts", JsonValueKind.Array) : null;
            foreach (var part in parts is { } list ? list.EnumerateArray() : [])
            {
                if (JsonRead.Property(part, "functionCall", JsonValueKind.Object) is { } call)
                {
                    calls.Add((JsonRead.String(call, "id"), JsonRead.String(call, "name") ?? "", JsonRead.Property(call, "args", JsonValueKind.Object)?.GetRawText() ?? "{}"));
                }
                else if (JsonRead.String(part, "text") is { } piece)
                {
                    var thought = part.TryGetProperty("thought", out var flag) && flag.ValueKind == JsonValueKind.True;
                    (thought ? reasoning : text).Append(piece);
                }
            }
        }
        else if (JsonRead.Property(root, "promptFeedback", JsonValueKind.Object) is { } feedback && JsonRead.String(feedback, "blockReason") is not null)
        {
            finishReason = "BLOCKED";
        }
        TokenUsage? usage = null;
        long cached = 0;
        if (JsonRead.Property(root, "usageMetadata", JsonValueKind.Object) is { } metadata)
        {
            var prompt = (JsonRead.Long(metadata, "promptTokenCount") ?? 0) + (JsonRead.Long(metadata, "toolUsePromptTokenCount") ?? 0);
            var completion = (JsonRead.Long(metadata, "candidatesTokenCount") ?? 0) + (JsonRead.Long(metadata, "thoughtsTokenCount") ?? 0);
            usage = new TokenUsage(prompt, completion);
            cached = JsonRead.Long(metadata, "cachedContentTokenCount") ?? 0;
        }
        var answer = new GeminiAnswer
        {
            Text = text.ToString(),
            Reasoning = reasoning.ToString(),
            FinishReason = finishReason,
            Usage = usage,
            CachedTokens = cached,
            ModelVersion = JsonRead.String(root, "modelVersion"),
            ResponseId = JsonRead.String(root, "responseId"),
        };
        answer.FunctionCalls.AddRange(calls);
        return answer;
    }

    /// <summary>OpenAI's finish reason for Gemini's; a normal stop after function calls is OpenAI's tool_calls.</summary>
    public static string ToFinishReason(string? reason, bool calledTools) => reason switch
    {
        "MAX_TOKENS" => "length",
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" or "BLOCKED" => "content_filter",
        _ when calledTools => "tool_calls",
        _ => "stop",
    };
}
