using LlmRouter.LocalModels.Grains;
using Orleans.Runtime.Placement;

namespace LlmRouter.LocalModels.Placement;

/// <summary>
/// Picks, among the gpu silos that may host a new local-model activation, the one with the fewest local-model
/// activations now (read through Orleans' management grain from those silos alone); ties are broken at random.
/// A placement hint wins, and when the counts cannot be read in time the pick is random, as Orleans' default would be.
/// </summary>
internal sealed partial class LeastBusyGpuPlacementDirector(IGrainFactory grains, ILogger<LeastBusyGpuPlacementDirector> logger) : IPlacementDirector
{
    /// <summary>A placement waits at most this long for the counts: a slow silo must not hold a session's first call.</summary>
    private static readonly TimeSpan CountTimeout = TimeSpan.FromSeconds(2);

    private static readonly string GrainClass = typeof(LocalModelGrain).FullName!;

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) is { } hint)
        {
            return hint;
        }
        if (silos.Length == 1)
        {
            return silos[0];
        }
        var counts = await CountsAsync(silos).ConfigureAwait(false);
        if (counts is null)
        {
            return silos[Random.Shared.Next(silos.Length)];
        }
        var fewest = silos.Min(silo => counts.GetValueOrDefault(silo));
        var least = silos.Where(silo => counts.GetValueOrDefault(silo) == fewest).ToArray();
        return least[Random.Shared.Next(least.Length)];
    }

    /// <summary>Local-model activations per silo, or null when the silos did not answer in time.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2016", Justification = "The management grain's methods take no token; WaitAsync bounds the wait.")]
    private async Task<Dictionary<SiloAddress, int>?> CountsAsync(SiloAddress[] silos)
    {
        try
        {
            var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics(silos).WaitAsync(CountTimeout).ConfigureAwait(false);
            return statistics
                .Where(s => s.GrainType.Split(',')[0] == GrainClass)
                .GroupBy(s => s.SiloAddress)
                .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
        }
        catch (Exception exception) when (exception is TimeoutException or OrleansException)
        {
            LogCountsUnread(logger, exception);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local-model activations per gpu silo could not be read; placing at random")]
    private static partial void LogCountsUnread(ILogger logger, Exception exception);
}
