using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace LlmRouter.LocalModels.Grains;

/// <summary>
/// Writes a local model's answer in OpenAI's wire format: a <c>chat.completion</c>, or the
/// <c>chat.completion.chunk</c> objects of a stream (role, content deltas, finish reason, then usage when asked).
/// </summary>
internal sealed class CompletionJson(string model, long created)
{
    private const string Fingerprint = "llama.cpp";

    public string Id { get; } = "chatcmpl-" + RandomNumberGenerator.GetHexString(24, lowercase: true);

    public byte[] Completion(string text, GenerationOutcome outcome) => Write(json =>
    {
        Header(json, "chat.completion");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("message");
        json.WriteString("role", "assistant");
        json.WriteString("content", text);
        json.WriteNull("refusal");
        json.WriteEndObject();
        json.WriteNull("logprobs");
        json.WriteString("finish_reason", outcome.FinishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        Usage(json, outcome);
    });

    public byte[] RoleChunk(bool includeUsage) => Chunk(includeUsage, json =>
    {
        json.WriteString("role", "assistant");
        json.WriteString("content", "");
    }, finishReason: null);

    public byte[] ContentChunk(string text, bool includeUsage) => Chunk(includeUsage, json => json.WriteString("content", text), finishReason: null);

    public byte[] FinishChunk(string finishReason, bool includeUsage) => Chunk(includeUsage, _ => { }, finishReason);

    public byte[] UsageChunk(GenerationOutcome outcome) => Write(json =>
    {
        Header(json, "chat.completion.chunk");
        json.WriteStartArray("choices");
        json.WriteEndArray();
        Usage(json, outcome);
    });

    private byte[] Chunk(bool includeUsage, Action<Utf8JsonWriter> delta, string? finishReason) => Write(json =>
    {
        Header(json, "chat.completion.chunk");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("delta");
        delta(json);
        json.WriteEndObject();
        json.WriteNull("logprobs");
        if (finishReason is null)
        {
            json.WriteNull("finish_reason");
        }
        else
        {
            json.WriteString("finish_reason", finishReason);
        }
        json.WriteEndObject();
        json.WriteEndArray();
        if (includeUsage)
        {
            json.WriteNull("usage");
        }
    });

    private void Header(Utf8JsonWriter json, string type)
    {
        json.WriteString("id", Id);
        json.WriteString("object", type);
        json.WriteNumber("created", created);
        json.WriteString("model", model);
        json.WriteString("system_fingerprint", Fingerprint);
    }

    private static void Usage(Utf8JsonWriter json, GenerationOutcome outcome)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", outcome.PromptTokens);
        json.WriteNumber("completion_tokens", outcome.CompletionTokens);
        json.WriteNumber("total_tokens", outcome.PromptTokens + outcome.CompletionTokens);
        json.WriteStartObject("prompt_tokens_details");
        json.WriteNumber("cached_tokens", outcome.ReusedPromptTokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
