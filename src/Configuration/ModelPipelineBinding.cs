using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmRouter.Configuration;

/// <summary>
/// Binds a model's request/response pipeline keys: <c>rewrite_body</c> (a TOML table, or a JSON object in a string
/// as the seeds write it, since TOML has no null) and <c>pipeline</c>.
/// </summary>
internal static class ModelPipelineBinding
{
    public static JsonElement? RewriteBody(TomlSection s)
    {
        var node = s.Value("rewrite_body") switch
        {
            null => null,
            TomlTable table => ToJson(table),
            TomlScalar { Value: string } text => ParseObject(s, text),
            var other => throw s.Error(other.Position, $"'rewrite_body' in {s.Name} must be a table or a JSON object in a string, not {TomlSection.Describe(other)}"),
        };
        return node is null ? null : JsonSerializer.SerializeToElement(node, JsonNodeContext.Default.JsonNode);
    }

    public static string? Pipeline(TomlSection s)
    {
        var name = s.OptionalString("pipeline");
        if (name is not null && !PipelineNames.IsKnown(name))
        {
            throw s.Error(s.Table["pipeline"].Position, $"pipeline '{name}' in {s.Name} must be one of {string.Join(", ", PipelineNames.All)}");
        }
        return name;
    }

    private static JsonObject ParseObject(TomlSection s, TomlScalar text)
    {
        try
        {
            return JsonNode.Parse((string)text.Value) as JsonObject
                ?? throw s.Error(text.Position, $"'rewrite_body' in {s.Name} must hold a JSON object");
        }
        catch (JsonException exception)
        {
            throw s.Error(text.Position, $"'rewrite_body' in {s.Name} is not valid JSON: {exception.Message}");
        }
    }

    /// <summary>Tables and arrays as JSON objects and arrays; a string, or a date-time as its text, as a JSON string.</summary>
    private static JsonNode? ToJson(TomlValue value) => value switch
    {
        TomlArray a => new JsonArray(a.Select(ToJson).ToArray()),
        TomlTable t => new JsonObject(t.Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        TomlScalar { Value: long i } => JsonValue.Create(i),
        TomlScalar { Value: double f } => JsonValue.Create(f),
        TomlScalar { Value: bool b } => JsonValue.Create(b),
        _ => JsonValue.Create((string)TomlSection.ToPlain(value)!),
    };
}
