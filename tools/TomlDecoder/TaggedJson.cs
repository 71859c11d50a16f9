using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmRouter.Configuration.Toml;
using Tomlyn;

namespace TomlDecoder;

/// <summary>Writes a document as toml-test "tagged JSON": tables as objects, arrays as arrays, scalars as <c>{"type": ..., "value": ...}</c>.</summary>
public static class TaggedJson
{
    public static void Write(Stream utf8Json, TomlTable document)
    {
        // The output is data for tools, never embedded in HTML, so only JSON's own escaping is needed. The deepest
        // document nests the root object, the reader's limit of tables and arrays, and a scalar's object.
        var options = new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            MaxDepth = TomlDocumentReader.MaxNestingDepth + 2,
        };
        using var writer = new Utf8JsonWriter(utf8Json, options);
        WriteValue(writer, document);
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
            case TomlScalar scalar:
                var (type, text) = Tagged(scalar.Value);
                writer.WriteStartObject();
                writer.WriteString("type", type);
                writer.WriteString("value", text);
                writer.WriteEndObject();
                break;
        }
    }

    private static (string Type, string Value) Tagged(object value) => value switch
    {
        string s => ("string", s),
        long i => ("integer", i.ToString(CultureInfo.InvariantCulture)),
        double f => ("float", Float(f)),
        bool b => ("bool", b ? "true" : "false"),
        var d => DateTime((TomlDateTime)d),
    };

    private static string Float(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static (string, string) DateTime(TomlDateTime value) => (value.Kind switch
    {
        TomlDateTimeKind.LocalDateTime => "datetime-local",
        TomlDateTimeKind.LocalDate => "date-local",
        TomlDateTimeKind.LocalTime => "time-local",
        _ => "datetime",
    }, value.ToString());
}
