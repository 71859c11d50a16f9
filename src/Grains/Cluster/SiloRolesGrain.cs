using System.Collections.Immutable;
using LlmRouter.Abstractions.Cluster;
using Orleans.Concurrency;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace LlmRouter.Grains.Cluster;

/// <summary>Reads roles from this silo's cache of every live silo's metadata (see <see cref="ISiloRolesGrain"/>).</summary>
[StatelessWorker]
public sealed class SiloRolesGrain(ISiloMetadataCache metadata) : Grain, ISiloRolesGrain
{
    public ValueTask<ImmutableArray<string?>> GetRolesAsync(ImmutableArray<SiloAddress> silos, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(silos.Select(silo =>
            metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloMetadataKeys.Role, out var role) && !string.IsNullOrEmpty(role) ? role : null).ToImmutableArray());
}
