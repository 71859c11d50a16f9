using System.Text.Json.Serialization;

namespace LlmRouter.Api.Json;

/// <summary>
/// One silo of the cluster as Orleans' membership table has it: its silo address (ip:port@generation), name, status
/// (created, joining, active, shutting_down, stopping, dead), start time and role (silo metadata "role", else "silo").
/// </summary>
public sealed record SiloView(string Address, string Name, string Status, DateTimeOffset StartedAt, string Role)
{
    /// <summary>Grain activations on the silo (GET /cluster only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Activations { get; init; }

    /// <summary>The silo's activations by grain type (GET /cluster only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<GrainActivationsView>? Grains { get; init; }
}
