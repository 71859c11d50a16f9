using System.Diagnostics.CodeAnalysis;
using LlmRouter.Abstractions.Grains;
using Orleans;
using Orleans.Runtime;

namespace LlmRouter.Api.Cluster;

/// <summary>
/// What operators see of the cluster (GET /health for admins, GET /cluster, the console's Cluster page): the silos in
/// Orleans' membership with their role (from silo metadata, through <see cref="ISiloRolesGrain"/>, so a front-end shows
/// them too), and activations by grain type, read through Orleans' management grain.
/// </summary>
[SuppressMessage("Reliability", "CA2016", Justification = "The management grain's methods take no token; WaitAsync bounds the wait and honours it.")]
public sealed class ClusterOverview(IGrainFactory grains)
{
    /// <summary>The role shown for a silo that publishes none.</summary>
    public const string DefaultRole = "silo";

    // The management grain reads the membership table: a store that does not answer must not hold an operator's page.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(3);

    private IManagementGrain Management => grains.GetGrain<IManagementGrain>(0);

    /// <summary>The silos in the membership table, live ones first; dead ones only when <paramref name="includeDead"/>.</summary>
    public async Task<IReadOnlyList<SiloView>> SilosAsync(bool includeDead, CancellationToken cancellationToken)
    {
        var hosts = (await Management.GetDetailedHosts().WaitAsync(ReadTimeout, cancellationToken).ConfigureAwait(false))
            .Where(host => includeDead || host.Status != SiloStatus.Dead)
            .OrderBy(host => host.Status == SiloStatus.Dead)
            .ThenBy(host => host.SiloName, StringComparer.Ordinal)
            .ThenByDescending(host => host.StartTime)
            .ToArray();
        var roles = await grains.GetGrain<ISiloRolesGrain>(0)
            .GetRolesAsync([.. hosts.Select(host => host.SiloAddress)], cancellationToken).AsTask().WaitAsync(ReadTimeout, cancellationToken).ConfigureAwait(false);
        return hosts
            .Select((host, i) => new SiloView(
                host.SiloAddress.ToParsableString(),
                host.SiloName,
                StatusName(host.Status),
                new DateTimeOffset(DateTime.SpecifyKind(host.StartTime, DateTimeKind.Utc)),
                roles[i] ?? DefaultRole))
            .ToArray();
    }

    /// <summary>Every silo (dead ones too) with its activation count, and the cluster's activations by grain type.</summary>
    public async Task<ClusterResponse> ReadAsync(CancellationToken cancellationToken)
    {
        var silos = await SilosAsync(includeDead: true, cancellationToken).ConfigureAwait(false);
        var statistics = await Management.GetSimpleGrainStatistics().WaitAsync(ReadTimeout, cancellationToken).ConfigureAwait(false);
        var perSilo = statistics
            .GroupBy(s => s.SiloAddress.ToParsableString(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => ByType(g), StringComparer.Ordinal);
        var withCounts = silos
            .Select(silo => perSilo.TryGetValue(silo.Address, out var grains)
                ? silo with { Activations = grains.Sum(g => g.Activations), Grains = grains }
                : silo with { Activations = 0, Grains = [] })
            .ToArray();
        return new ClusterResponse(withCounts, ByType(statistics));
    }

    private static GrainActivationsView[] ByType(IEnumerable<SimpleGrainStatistic> statistics) =>
        statistics
            .GroupBy(s => TypeName(s.GrainType), StringComparer.Ordinal)
            .Select(g => new GrainActivationsView(g.Key, g.Sum(s => s.ActivationCount)))
            .Where(v => v.Activations > 0)
            .OrderByDescending(v => v.Activations)
            .ThenBy(v => v.GrainType, StringComparer.Ordinal)
            .ToArray();

    /// <summary>Orleans names a grain class with its assembly ("Ns.ModelGrain,Assembly"): the class's full name is enough.</summary>
    private static string TypeName(string grainType) => grainType.Split(',')[0];

    private static string StatusName(SiloStatus status) => status switch
    {
        SiloStatus.Created => "created",
        SiloStatus.Joining => "joining",
        SiloStatus.Active => "active",
        SiloStatus.ShuttingDown => "shutting_down",
        SiloStatus.Stopping => "stopping",
        SiloStatus.Dead => "dead",
        _ => "unknown",
    };
}
