using System.Collections.Immutable;

namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// The silos' roles as their silo metadata says (key <see cref="Cluster.SiloMetadataKeys.Role"/>). Only a silo holds
/// the metadata of the others; an <c>api</c> front-end, an Orleans client, reads it through this stateless worker,
/// which runs on the silo it calls.
/// </summary>
public interface ISiloRolesGrain : IGrainWithIntegerKey
{
    /// <summary>Each silo's role, in the order given; null for a silo whose metadata this silo does not hold (a dead one).</summary>
    ValueTask<ImmutableArray<string?>> GetRolesAsync(ImmutableArray<SiloAddress> silos, CancellationToken cancellationToken = default);
}
