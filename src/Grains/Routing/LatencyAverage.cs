namespace LlmRouter.Grains.Routing;

/// <summary>The exponentially weighted moving average the latency figures use, shared by the node's view and the cluster's grain.</summary>
public static class LatencyAverage
{
    /// <summary>The weight of the newest sample: about the last five calls dominate.</summary>
    public const double Alpha = 0.3;

    /// <summary>
    /// How many of a batch's newest samples are kept: the ones before them weigh less than 0.7^64 (about 1e-10) in the
    /// average, so dropping them changes nothing measurable while keeping reports small.
    /// </summary>
    public const int Kept = 64;

    /// <summary><paramref name="current"/> having taken in <paramref name="count"/> samples, of which <paramref name="newest"/> are the last, in order.</summary>
    public static ModelLatency Add(ModelLatency? current, IEnumerable<double> newest, long count)
    {
        var samples = current?.Samples ?? 0;
        var value = current?.AverageMs ?? 0;
        foreach (var sample in newest)
        {
            value = samples == 0 ? sample : Alpha * sample + (1 - Alpha) * value;
            samples++;
        }
        return new ModelLatency(value, Math.Max(samples, (current?.Samples ?? 0) + count));
    }
}
