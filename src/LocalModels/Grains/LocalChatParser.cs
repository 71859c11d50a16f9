using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmRouter.LocalModels.Grains;

/// <summary>
/// Reads an OpenAI chat-completions body for a local model: text messages, <c>max_completion_tokens</c> /
/// <c>max_tokens</c>, <c>temperature</c>, <c>top_p</c>, <c>top_k</c>, <c>seed</c>, <c>stop</c>, <c>logit_bias</c>,
/// <c>stream_options.include_usage</c>. What a local model cannot do (images, tools, several choices) is refused
/// with a 400 rather than silently ignored.
/// </summary>
internal static class LocalChatParser
{
    private const int MaxStopSequences = 16;

    public static (LocalChatCall? Call, UpstreamError? Error) Parse(JsonObject body, int vocabSize)
    {
        if (body["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return Fail("messages", "'messages' must be a non-empty array of message objects.");
        }
        var turns = new List<ChatTurn>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var (turn, error) = Turn(messages[i], i);
            if (error is not null)
            {
                return (null, error);
            }
            turns.Add(turn!);
        }
        if (body["n"] is { } n && n.GetValueKind() != JsonValueKind.Null && Number(n) != 1)
        {
            return Fail("n", "Local models return one choice: 'n' must be 1.");
        }
        if (body["tools"] is JsonArray { Count: > 0 })
        {
            return Fail("tools", "Local models do not support tools.");
        }
        if (body["response_format"] is JsonObject format && format["type"]?.GetValueKind() == JsonValueKind.String
            && format["type"]!.GetValue<string>() != "text")
        {
            return Fail("response_format", "Local models only answer with plain text ('response_format' type 'text').");
        }

        var maxTokens = body["max_completion_tokens"] ?? body["max_tokens"];
        int? max = null;
        if (maxTokens is not null && maxTokens.GetValueKind() != JsonValueKind.Null)
        {
            if (Number(maxTokens) is not { } value || value < 1 || value > int.MaxValue || value != Math.Floor(value))
            {
                return Fail(body["max_completion_tokens"] is null ? "max_tokens" : "max_completion_tokens", "The maximum number of tokens must be a positive integer.");
            }
            max = (int)value;
        }

        var (sampling, samplingError) = Sampling(body, vocabSize);
        if (samplingError is not null)
        {
            return (null, samplingError);
        }
        var (stop, stopError) = Stop(body["stop"]);
        if (stopError is not null)
        {
            return (null, stopError);
        }
        var includeUsage = body["stream_options"] is JsonObject options && options["include_usage"]?.GetValueKind() == JsonValueKind.True;
        return (new LocalChatCall(turns, max, sampling!, stop!, includeUsage), null);
    }

    private static (ChatTurn? Turn, UpstreamError? Error) Turn(JsonNode? node, int index)
    {
        if (node is not JsonObject message || message["role"] is not JsonValue role || role.GetValueKind() != JsonValueKind.String)
        {
            return (null, LocalErrors.Invalid($"messages[{index}]", $"'messages[{index}]' must be an object with a string 'role'."));
        }
        var content = message["content"];
        switch (content?.GetValueKind())
        {
            case null or JsonValueKind.Null:
                return (new ChatTurn(role.GetValue<string>(), ""), null);
            case JsonValueKind.String:
                return (new ChatTurn(role.GetValue<string>(), content.GetValue<string>()), null);
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in content.AsArray())
                {
                    if (part is not JsonObject { } p || p["type"]?.GetValueKind() != JsonValueKind.String || p["type"]!.GetValue<string>() != "text"
                        || p["text"]?.GetValueKind() != JsonValueKind.String)
                    {
                        return (null, LocalErrors.Invalid($"messages[{index}].content", "Local models accept text content parts only."));
                    }
                    text.Append(p["text"]!.GetValue<string>());
                }
                return (new ChatTurn(role.GetValue<string>(), text.ToString()), null);
            default:
                return (null, LocalErrors.Invalid($"messages[{index}].content", $"'messages[{index}].content' must be a string or an array of text parts."));
        }
    }

    private static (SamplingOptions? Options, UpstreamError? Error) Sampling(JsonObject body, int vocabSize)
    {
        var options = new SamplingOptions { Seed = (uint)Random.Shared.NextInt64(0, uint.MaxValue) };
        if (Optional(body, "temperature") is { } temperature)
        {
            if (Number(temperature) is not { } t || t < 0 || t > 2)
            {
                return (null, LocalErrors.Invalid("temperature", "'temperature' must be a number from 0 to 2."));
            }
            options = options with { Temperature = (float)t };
        }
        if (Optional(body, "top_p") is { } topP)
        {
            if (Number(topP) is not { } p || p <= 0 || p > 1)
            {
                return (null, LocalErrors.Invalid("top_p", "'top_p' must be a number greater than 0 and at most 1."));
            }
            options = options with { TopP = (float)p };
        }
        if (Optional(body, "top_k") is { } topK)
        {
            if (Number(topK) is not { } k || k < 0 || k != Math.Floor(k) || k > int.MaxValue)
            {
                return (null, LocalErrors.Invalid("top_k", "'top_k' must be a non-negative integer."));
            }
            options = options with { TopK = (int)k };
        }
        if (Optional(body, "seed") is { } seed)
        {
            if (Number(seed) is not { } s || s != Math.Floor(s))
            {
                return (null, LocalErrors.Invalid("seed", "'seed' must be an integer."));
            }
            options = options with { Seed = unchecked((uint)(long)s) };
        }
        if (Optional(body, "logit_bias") is { } bias)
        {
            if (bias is not JsonObject biases)
            {
                return (null, LocalErrors.Invalid("logit_bias", "'logit_bias' must map token ids to numbers from -100 to 100."));
            }
            var map = new Dictionary<int, float>();
            foreach (var (key, value) in biases)
            {
                if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var token) || token >= vocabSize)
                {
                    return (null, LocalErrors.Invalid("logit_bias", $"'logit_bias' names token '{key}', which is not a token id of this model (0 to {vocabSize - 1})."));
                }
                if (value is null || Number(value) is not { } b || b < -100 || b > 100)
                {
                    return (null, LocalErrors.Invalid("logit_bias", $"'logit_bias[{key}]' must be a number from -100 to 100."));
                }
                // OpenAI's -100 and 100 mean "never" and "always".
                map[token] = b <= -100 ? float.NegativeInfinity : b >= 100 ? float.PositiveInfinity : (float)b;
            }
            options = options with { LogitBias = map };
        }
        return (options, null);
    }

    private static (IReadOnlyList<string>? Stop, UpstreamError? Error) Stop(JsonNode? stop)
    {
        switch (stop?.GetValueKind())
        {
            case null or JsonValueKind.Null:
                return ([], null);
            case JsonValueKind.String:
                return ([stop.GetValue<string>()], null);
            case JsonValueKind.Array when stop.AsArray().Count <= MaxStopSequences
                && stop.AsArray().All(s => s?.GetValueKind() == JsonValueKind.String):
                return (stop.AsArray().Select(s => s!.GetValue<string>()).ToArray(), null);
            default:
                return (null, LocalErrors.Invalid("stop", $"'stop' must be a string or an array of at most {MaxStopSequences} strings."));
        }
    }

    private static JsonNode? Optional(JsonObject body, string name) =>
        body[name] is { } node && node.GetValueKind() != JsonValueKind.Null ? node : null;

    private static double? Number(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.Number && double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static (LocalChatCall?, UpstreamError?) Fail(string param, string message) => (null, LocalErrors.Invalid(param, message));
}
