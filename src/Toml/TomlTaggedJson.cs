using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmRouter.Toml;

/// <summary>Writes a parsed document as toml-test "tagged JSON": tables as objects, arrays as arrays, scalars as <c>{"type": ..., "value": ...}</c>.</summary>
public static class TomlTaggedJson
{
    /// <summary>The JSON nesting a document within <see cref="TomlParser.MaxNestingDepth"/> can need: the root object, the containers and a scalar's object.</summary>
    public const int MaxJsonDepth = TomlParser.MaxNestingDepth + 2;

    /// <summary>Writes <paramref name="table"/> to <paramref name="writer"/>, whose <see cref="JsonWriterOptions.MaxDepth"/> should be at least <see cref="MaxJsonDepth"/>.</summary>
    public static void Write(Utf8JsonWriter writer, TomlTable table)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        WriteValue(writer, table);
    }

    /// <summary>Writes <paramref name="table"/> to <paramref name="utf8Json"/> as UTF-8 JSON.</summary>
    public static void Write(Stream utf8Json, TomlTable table, bool indented = false)
    {
        // The output is data for tools and people, never embedded in HTML, so only JSON's own escaping is needed.
        var options = new JsonWriterOptions
        {
            Indented = indented,
            MaxDepth = MaxJsonDepth,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using var writer = new Utf8JsonWriter(utf8Json, options);
        Write(writer, table);
    }

    /// <summary>Returns <paramref name="table"/> as a tagged JSON string.</summary>
    public static string ToJson(TomlTable table, bool indented = false)
    {
        using var buffer = new MemoryStream();
        Write(buffer, table, indented);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValue(Utf8JsonWriter writer, TomlValue value)
    {
        switch (value)
        {
            case TomlTable table:
                writer.WriteStartObject();
                foreach (var (key, child) in table)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, child);
                }

                writer.WriteEndObject();
                break;
            case TomlArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case TomlString s:
                WriteScalar(writer, "string", s.Value);
                break;
            case TomlInteger i:
                WriteScalar(writer, "integer", i.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case TomlFloat f:
                WriteScalar(writer, "float", FormatFloat(f.Value));
                break;
            case TomlBoolean b:
                WriteScalar(writer, "bool", b.Value ? "true" : "false");
                break;
            case TomlDateTime d:
                WriteScalar(writer, TypeName(d.Kind), d.ToRfc3339());
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, string type, string value)
    {
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteString("value", value);
        writer.WriteEndObject();
    }

    private static string FormatFloat(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string TypeName(TomlValueKind kind) => kind switch
    {
        TomlValueKind.OffsetDateTime => "datetime",
        TomlValueKind.LocalDateTime => "datetime-local",
        TomlValueKind.LocalDate => "date-local",
        _ => "time-local",
    };
}
