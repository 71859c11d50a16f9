using System.Collections.Immutable;

namespace LlmRouter.Abstractions.Grains;

/// <summary>The change feed's versions: its epoch (new with every activation) and each topic's count of changes.</summary>
[GenerateSerializer, Immutable, Alias("change-versions")]
public sealed record ChangeVersions(Guid Epoch, ImmutableDictionary<ClusterTopic, long> Topics)
{
    public long Of(ClusterTopic topic) => Topics.GetValueOrDefault(topic);
}
