using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmRouter.Grains.Catalog;

/// <summary>Reads typed fields of one JSON object, naming the offending field (with its path) when one is wrong.</summary>
public sealed class JsonFields(JsonObject json, string path = "")
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>An integer that fits an <see cref="int"/>.</summary>
    public int? Int(string name, int min) => (int?)Integer(name, min, int.MaxValue);

    /// <summary>Whether the object has the member at all (null included): absent and null differ in a patch.</summary>
    public bool Has(string name)
    {
        _read.Add(name);
        return json.ContainsKey(name);
    }

    public string? String(string name)
    {
        var node = Node(name);
        return node is null ? null : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw Wrong(name, "a string");
    }

    public string RequiredString(string name) =>
        String(name) is { Length: > 0 } value ? value : throw new DefinitionException(Path(name), $"'{Path(name)}' is required and must be a non-empty string.");

    public bool? Bool(string name) => Node(name) switch
    {
        null => null,
        var node when node.GetValueKind() is JsonValueKind.True or JsonValueKind.False => node.GetValue<bool>(),
        _ => throw Wrong(name, "true or false"),
    };

    public long? Integer(string name, long min, long max = long.MaxValue)
    {
        var node = Node(name);
        if (node is null)
        {
            return null;
        }
        if (node.GetValueKind() != JsonValueKind.Number || !((JsonValue)node).TryGetValue(out long value) || value < min || value > max)
        {
            throw Wrong(name, max == long.MaxValue ? $"an integer of at least {min}" : $"an integer from {min} to {max}");
        }
        return value;
    }

    public double? Number(string name, double min) => (double?)Decimal(name, (decimal)min);

    /// <summary>A number from <paramref name="min"/> to <paramref name="max"/>, both included.</summary>
    public double? Number(string name, double min, double max)
    {
        var node = Node(name);
        if (node is null)
        {
            return null;
        }
        if (node.GetValueKind() != JsonValueKind.Number || !((JsonValue)node).TryGetValue(out double value) || value < min || value > max)
        {
            throw Wrong(name, $"a number from {min.ToString(System.Globalization.CultureInfo.InvariantCulture)} to {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
        return value;
    }

    public decimal? Decimal(string name, decimal min, bool exclusiveMin = false)
    {
        var node = Node(name);
        if (node is null)
        {
            return null;
        }
        if (node.GetValueKind() != JsonValueKind.Number || !((JsonValue)node).TryGetValue(out decimal value) || value < min || exclusiveMin && value == min)
        {
            throw Wrong(name, exclusiveMin ? $"a number greater than {min}" : $"a number of at least {min}");
        }
        return value;
    }

    public IReadOnlyList<string>? StringList(string name)
    {
        var node = Node(name);
        if (node is null)
        {
            return null;
        }
        if (node is not JsonArray array || array.Any(item => item?.GetValueKind() != JsonValueKind.String))
        {
            throw Wrong(name, "an array of strings");
        }
        return array.Select(item => item!.GetValue<string>()).ToArray();
    }

    public JsonFields? Object(string name)
    {
        var node = Node(name);
        return node switch
        {
            null => null,
            JsonObject inner => new JsonFields(inner, Path(name) + "."),
            _ => throw Wrong(name, "an object"),
        };
    }

    public JsonNode? Raw(string name) => Node(name);

    /// <summary>Refuses fields nobody read, so a typo is an error rather than a silently ignored setting.</summary>
    public void RejectUnknown()
    {
        foreach (var (name, _) in json)
        {
            if (!_read.Contains(name))
            {
                throw new DefinitionException(Path(name), $"Unknown field '{Path(name)}'.");
            }
        }
    }

    private JsonNode? Node(string name)
    {
        _read.Add(name);
        return json[name];
    }

    private string Path(string name) => path + name;

    private DefinitionException Wrong(string name, string what) => new(Path(name), $"'{Path(name)}' must be {what}.");
}
