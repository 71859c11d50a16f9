using System.Security.Cryptography;
using System.Text;
using LlmRouter.Abstractions.Responses;
using static LlmRouter.Api.Json.JsonNodes;

namespace LlmRouter.Api.ClientFormats.Responses;

/// <summary>
/// A kept response's input items as GET /v1/responses/{id}/input_items lists them, in input order: each with an
/// <c>id</c>, messages with their content as parts (a plain string becomes one <c>input_text</c> part, or
/// <c>output_text</c> in an assistant's message). An item the client sent without an id gets one derived from the
/// response's id and the item's place, the same on every read and node, for responses kept before this list
/// existed too. The kept input itself stays as the client sent it: it is what an upstream gets again when the
/// response is continued, and an upstream refuses item ids it did not issue.
/// </summary>
public static class KeptInputItems
{
    public static JsonArray Of(StoredResponse response)
    {
        var kept = JsonNode.Parse(response.Input) as JsonArray ?? [];
        var items = new JsonArray();
        for (var i = 0; i < kept.Count; i++)
        {
            if (kept[i] is JsonObject item)
            {
                items.Add(Listed(item, response.Id, i));
            }
        }
        return items;
    }

    /// <summary>The id an item without one is listed under: its type's prefix and a hash of the response id and its place.</summary>
    public static string DerivedId(string? type, string responseId, int index)
    {
        var prefix = type switch
        {
            "message" => "msg",
            "function_call" => "fc",
            "function_call_output" => "fco",
            _ => "item",
        };
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{responseId}/{index}"));
        return prefix + "_" + Convert.ToHexStringLower(hash)[..48];
    }

    private static JsonObject Listed(JsonObject kept, string responseId, int index)
    {
        var type = String(kept["type"]) ?? (kept["role"] is null ? null : "message");
        var item = new JsonObject { ["id"] = String(kept["id"]) ?? DerivedId(type, responseId, index) };
        foreach (var (name, value) in kept.Where(member => member.Key != "id"))
        {
            item[name] = value?.DeepClone();
        }
        if (type != "message")
        {
            return item;
        }
        item["type"] = "message";
        if (String(kept["content"]) is { } text)
        {
            item["content"] = new JsonArray(String(kept["role"]) == "assistant"
                ? ResponseDraft.TextPart(text)
                : new JsonObject { ["type"] = "input_text", ["text"] = text });
        }
        item["status"] ??= "completed";
        return item;
    }
}
