using System.Text;
using System.Text.Json.Nodes;

namespace LlmRouter.Api.Tests.Hostile;

/// <summary>Seeded mutations of valid request bodies: byte-level damage and JSON-aware value swaps.</summary>
public static class MalformedBodies
{
    private const string Marker = "@@mutated@@";

    private static readonly string[] Fragments =
    [
        "null", "true", "-1", "0", "1e308", "-1e308", "1.5", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "[]", "{}", "[[[[", "}}}}",
        "\"user\"", "\"wizard\"", "99999999999999999999999999", "NaN", "\"' OR 1=1 --\"", "\"../../etc\"",
    ];

    public static byte[] Mutate(Random random, byte[] valid) => random.Next(4) switch
    {
        0 => DamageBytes(random, valid),
        1 => SwapValue(random, valid),
        2 => Splice(random, valid),
        _ => SwapValue(random, SwapValue(random, valid)),
    };

    /// <summary>Flips, drops, truncates or inserts raw bytes, including invalid UTF-8.</summary>
    private static byte[] DamageBytes(Random random, byte[] valid)
    {
        var bytes = new List<byte>(valid);
        var edits = 1 + random.Next(4);
        for (var i = 0; i < edits && bytes.Count > 0; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
            }
        }
        return [.. bytes];
    }

    /// <summary>Replaces one value anywhere in the document with a value of another type.</summary>
    private static byte[] SwapValue(Random random, byte[] valid)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(valid);
        }
        catch (System.Text.Json.JsonException)
        {
            return valid;
        }
        try
        {
            return Swap(random, root);
        }
        catch (InvalidOperationException)
        {
            // The document holds a string .NET cannot represent (a lone surrogate from an earlier mutation): keep it as is.
            return valid;
        }
    }

    private static byte[] Swap(Random random, JsonNode? root)
    {
        if (root is null)
        {
            return "null"u8.ToArray();
        }
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(root, slots);
        if (slots.Count == 0)
        {
            return Encoding.UTF8.GetBytes(root.ToJsonString());
        }
        var (parent, key) = slots[random.Next(slots.Count)];
        // A marker goes in and is then replaced by raw text, so the new value may be anything, even nesting no parser accepts.
        if (parent is JsonObject obj)
        {
            obj[(string)key] = Marker;
        }
        else
        {
            parent.AsArray()[(int)key] = Marker;
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString().Replace("\"" + Marker + "\"", RandomValue(random), StringComparison.Ordinal));
    }

    /// <summary>Inserts a raw fragment at a random offset (often breaking the syntax).</summary>
    private static byte[] Splice(Random random, byte[] valid)
    {
        var fragment = Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]);
        var at = random.Next(valid.Length + 1);
        return [.. valid.AsSpan(0, at), .. fragment, .. valid.AsSpan(at)];
    }

    private static string RandomValue(Random random) => random.Next(3) switch
    {
        0 => Fragments[random.Next(Fragments.Length)],
        1 => Nested(1 + random.Next(200)),
        _ => "{\"role\":" + Fragments[random.Next(2)] + ",\"content\":{\"type\":" + Fragments[random.Next(7, 12)] + "}}",
    };

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static void Collect(JsonNode node, List<(JsonNode Parent, object Key)> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToArray())
                {
                    slots.Add((obj, name));
                    if (child is not null)
                    {
                        Collect(child, slots);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, i));
                    if (array[i] is { } child)
                    {
                        Collect(child, slots);
                    }
                }
                break;
        }
    }
}
