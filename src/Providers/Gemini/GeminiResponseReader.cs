using System.Globalization;

namespace LlmRouter.Providers.Gemini;

/// <summary>Translates a Gemini <c>GenerateContentResponse</c> into an OpenAI chat completion.</summary>
internal static class GeminiResponseReader
{
    /// <summary>Null when the body is not a GenerateContentResponse.</summary>
    public static UpstreamChatResult? Read(byte[] body, string model, long created)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !(root.TryGetProperty("candidates", out _) || root.TryGetProperty("promptFeedback", out _)))
        {
            return null;
        }
        var answer = GeminiAnswer.Read(root);
        var toolCalls = new JsonArray();
        for (var i = 0; i < answer.FunctionCalls.Count; i++)
        {
            var (id, name, arguments) = answer.FunctionCalls[i];
            toolCalls.Add(OpenAiOutput.ToolCall(id ?? CallId(i), name, arguments));
        }
        var finishReason = GeminiAnswer.ToFinishReason(answer.FinishReason, toolCalls.Count > 0);
        var usage = answer.Usage ?? default;
        var message = OpenAiOutput.Message(answer.Text.Length > 0 || toolCalls.Count == 0 ? answer.Text : null, answer.Reasoning, toolCalls);
        var completion = OpenAiOutput.Completion(
            answer.ResponseId ?? "gemini-" + created.ToString(CultureInfo.InvariantCulture), answer.ModelVersion ?? model, created, message, finishReason, usage, answer.CachedTokens);
        return OpenAiOutput.Translated(completion, usage, finishReason, body, WireApis.Gemini);
    }

    /// <summary>Gemini's calls have no id unless it sends one; OpenAI clients need one to answer the call.</summary>
    public static string CallId(int index) => "call_" + index.ToString(CultureInfo.InvariantCulture);
}
