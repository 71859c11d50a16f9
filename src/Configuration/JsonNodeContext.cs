using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LlmRouter.Configuration;

/// <summary>Source-generated serialization of JSON nodes (no reflection at run time).</summary>
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class JsonNodeContext : JsonSerializerContext;
