using System.Security.Cryptography;
using System.Text;
using LlmRouter.Abstractions.Responses;
using static LlmRouter.Api.Json.JsonNodes;

namespace LlmRouter.Api.ClientFormats.Responses;

/// <summary>
/// The response one Responses API request is answered with, from its id (known before the upstream answers, so a
/// stream can name it first) to the object the client gets, which is kept when the request asks <c>store</c>.
/// </summary>
public sealed class ResponseDraft(JsonObject request, JsonArray conversation, string? ownerKeyId, DateTimeOffset createdAt)
{
    /// <summary>The response's id (<c>resp_…</c>).</summary>
    public string Id { get; } = NewId("resp");

    /// <summary>The client's request, echoed in the response object's fields.</summary>
    public JsonObject Request { get; } = request;

    /// <summary>The conversation's items, earlier responses' input and output included, then this request's input.</summary>
    public JsonArray Conversation { get; } = conversation;

    /// <summary>OpenAI keeps responses unless the request says <c>"store": false</c>.</summary>
    public bool Store => Request["store"] is not JsonValue store || store.GetValueKind() != JsonValueKind.False;

    /// <summary>A new id for a response or an output item (<c>msg</c>, <c>fc</c>).</summary>
    public static string NewId(string prefix) => prefix + "_" + RandomNumberGenerator.GetHexString(48, lowercase: true);

    /// <summary>The response object with <paramref name="output"/>: in progress (no usage) or finished as the upstream's finish reason says.</summary>
    public JsonObject Build(JsonArray output, TokenUsage? usage = null, long cachedTokens = 0, string? finishReason = null)
    {
        var incomplete = finishReason switch
        {
            "length" => "max_output_tokens",
            "content_filter" => "content_filter",
            _ => null,
        };
        return new JsonObject
        {
            ["id"] = Id,
            ["object"] = "response",
            ["created_at"] = createdAt.ToUnixTimeSeconds(),
            ["status"] = usage is null ? "in_progress" : incomplete is null ? "completed" : "incomplete",
            ["background"] = false,
            ["error"] = null,
            ["incomplete_details"] = incomplete is null ? null : new JsonObject { ["reason"] = incomplete },
            ["instructions"] = Echo("instructions"),
            ["max_output_tokens"] = Echo("max_output_tokens"),
            ["model"] = Echo("model"),
            ["output"] = output,
            ["parallel_tool_calls"] = Echo("parallel_tool_calls") ?? true,
            ["previous_response_id"] = Echo("previous_response_id"),
            ["reasoning"] = new JsonObject { ["effort"] = null, ["summary"] = null },
            ["store"] = Store,
            ["temperature"] = Echo("temperature") ?? 1,
            ["text"] = Echo("text") ?? new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
            ["tool_choice"] = Echo("tool_choice") ?? "auto",
            ["tools"] = Echo("tools") ?? new JsonArray(),
            ["top_p"] = Echo("top_p") ?? 1,
            ["truncation"] = "disabled",
            ["usage"] = usage is { } used ? Usage(used, cachedTokens) : null,
            ["user"] = Echo("user"),
            ["metadata"] = Echo("metadata") ?? new JsonObject(),
        };
    }

    /// <summary>
    /// The output items of a canonical chat completion: the assistant's text, then its function calls. Parts of the
    /// upstream's answer that are not the objects they should be are passed over.
    /// </summary>
    public static JsonArray Output(JsonObject completion)
    {
        var message = (First(completion["choices"]) as JsonObject)?["message"] as JsonObject;
        var calls = (message?["tool_calls"] as JsonArray ?? []).OfType<JsonObject>().ToArray();
        var output = new JsonArray();
        if (String(message?["content"]) is { Length: > 0 } text || calls.Length == 0)
        {
            output.Add(MessageItem(NewId("msg"), String(message?["content"]) ?? "", "completed"));
        }
        foreach (var call in calls)
        {
            var function = call["function"] as JsonObject;
            output.Add(FunctionCallItem(NewId("fc"), String(call["id"]) ?? NewId("call"),
                String(function?["name"]) ?? "", String(function?["arguments"]) ?? "", "completed"));
        }
        return output;
    }

    /// <summary>The cached prompt tokens a chat answer or chunk reports (<c>usage.prompt_tokens_details.cached_tokens</c>), null when none.</summary>
    public static long? CachedTokens(JsonObject chat) =>
        ((chat["usage"] as JsonObject)?["prompt_tokens_details"] as JsonObject)?["cached_tokens"] is JsonValue value && value.TryGetValue(out long tokens)
            ? tokens
            : null;

    public static JsonObject MessageItem(string id, string? text, string status) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["status"] = status,
        ["role"] = "assistant",
        ["content"] = text is null ? new JsonArray() : new JsonArray(TextPart(text)),
    };

    public static JsonObject TextPart(string text) => new() { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray() };

    public static JsonObject FunctionCallItem(string id, string callId, string name, string arguments, string status) => new()
    {
        ["id"] = id,
        ["type"] = "function_call",
        ["status"] = status,
        ["call_id"] = callId,
        ["name"] = name,
        ["arguments"] = arguments,
    };

    /// <summary>The record kept for <see cref="Build"/>'s finished object.</summary>
    public StoredResponse Stored(JsonObject response) => new()
    {
        Id = Id,
        ApiKeyId = ownerKeyId,
        CreatedAt = createdAt,
        Input = Conversation.ToJsonString(),
        Response = Encoding.UTF8.GetString(JsonBytes.Of(response)),
    };

    /// <summary>The Responses API counts cached tokens within the input tokens, as chat completions do.</summary>
    private static JsonObject Usage(TokenUsage usage, long cachedTokens) => new()
    {
        ["input_tokens"] = usage.PromptTokens,
        ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = cachedTokens },
        ["output_tokens"] = usage.CompletionTokens,
        ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
        ["total_tokens"] = usage.TotalTokens,
    };

    private JsonNode? Echo(string name) => Request[name] is { } value && value.GetValueKind() != JsonValueKind.Null ? value.DeepClone() : null;
}
