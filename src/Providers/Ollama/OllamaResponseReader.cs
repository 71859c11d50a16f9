using System.Globalization;

namespace LlmRouter.Providers.Ollama;

/// <summary>Translates a non-streamed Ollama <c>/api/chat</c> answer into an OpenAI chat completion.</summary>
internal static class OllamaResponseReader
{
    /// <summary>Null when the body is not an Ollama chat response.</summary>
    public static UpstreamChatResult? Read(byte[] body, string model, long created)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (JsonRead.Property(root, "message", JsonValueKind.Object) is null)
        {
            return null;
        }
        var answer = OllamaChatResponse.Read(root);
        var finishReason = OllamaChatResponse.ToFinishReason(answer.DoneReason, answer.ToolCalls.Count > 0);
        var at = answer.CreatedAt?.ToUnixTimeSeconds() ?? created;
        var message = OpenAiOutput.Message(answer.Content.Length > 0 || answer.ToolCalls.Count == 0 ? answer.Content : null, answer.Thinking, answer.ToolCalls);
        var completion = OpenAiOutput.Completion("ollama-" + at.ToString(CultureInfo.InvariantCulture), answer.Model ?? model, at, message, finishReason, answer.Usage);
        return OpenAiOutput.Translated(completion, answer.Usage, finishReason, body, WireApis.Ollama);
    }
}
