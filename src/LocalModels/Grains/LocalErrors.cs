using System.Buffers;
using System.Text.Json;

namespace LlmRouter.LocalModels.Grains;

/// <summary>The errors a local model answers with, shaped as an upstream's (an OpenAI error body and its status).</summary>
internal static class LocalErrors
{
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan UnavailableRetryAfter = TimeSpan.FromSeconds(5);

    public static UpstreamError Invalid(string param, string message) =>
        Status(400, "invalid_request_error", message, param, "invalid_value");

    public static UpstreamError ContextExceeded(string model, int promptTokens, int contextSize) =>
        Status(400, "invalid_request_error",
            $"The conversation is {promptTokens} tokens long, but local model '{model}' has a context of {contextSize} tokens.",
            "messages", "context_length_exceeded");

    public static UpstreamError InputTooLong(string model, int index, int tokens, int contextSize) =>
        Status(400, "invalid_request_error",
            $"Input {index} is {tokens} tokens long, but local model '{model}' embeds at most {contextSize} tokens per input.",
            "input", "context_length_exceeded");

    public static UpstreamError QueueFull(string model, int capacity) =>
        Status(429, "rate_limit_error",
            $"Local model '{model}' is busy: {capacity} request(s) are already running or waiting. Retry shortly.",
            null, "local_model_busy") with { RetryAfter = BusyRetryAfter };

    public static UpstreamError Unavailable(string message) =>
        new(UpstreamErrorKind.Unavailable, message) { RetryAfter = UnavailableRetryAfter, Code = "model_unavailable" };

    public static UpstreamError Cancelled() => new(UpstreamErrorKind.Cancelled, "the client closed the connection");

    public static UpstreamError Failed(string model, string? detail) =>
        new(UpstreamErrorKind.Protocol, $"local model '{model}' failed: {detail ?? "llama.cpp reported an error"}");

    /// <summary>An error as an HTTP status with OpenAI's error body, the form the API maps to its client's status.</summary>
    public static UpstreamError Status(int status, string type, string message, string? param, string? code) =>
        new(UpstreamErrorKind.HttpStatus, message) { Status = status, RawBody = Encoding.UTF8.GetString(Body(type, message, param, code)) };

    public static byte[] Body(string type, string message, string? param, string? code)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", message);
            json.WriteString("type", type);
            WriteNullable(json, "param", param);
            WriteNullable(json, "code", code);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
