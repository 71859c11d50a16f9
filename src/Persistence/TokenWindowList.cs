using System.Text.Json;
using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Persistence;

/// <summary>The token windows of a ledger entry as JSON (<c>[["window", intervalMicros], …]</c>), for stores without arrays.</summary>
internal static class TokenWindowList
{
    public static string Write(IEnumerable<WindowCharge> windows)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var window in windows)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(window.Window);
                writer.WriteNumberValue(window.IntervalMicros);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static IReadOnlyList<(string Window, long IntervalMicros)> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(e => (e[0].GetString()!, e[1].GetInt64())).ToArray();
    }
}
