namespace LlmRouter.Api.Monitoring;

/// <summary>
/// One labelled series of a metric family: a running value (counters, gauges) or histogram buckets. Values are
/// decimals so money and token counters add up exactly; a lock per series keeps a scrape consistent.
/// </summary>
internal sealed class MetricSeries(KeyValuePair<string, string>[] labels, double[]? bounds)
{
    private readonly Lock _gate = new();
    private readonly long[]? _buckets = bounds is null ? null : new long[bounds.Length];
    private decimal _value;
    private double _sum;
    private long _count;

    public KeyValuePair<string, string>[] Labels { get; } = labels;

    public void Add(decimal value)
    {
        lock (_gate)
        {
            _value += value;
        }
    }

    public void Observe(double value)
    {
        lock (_gate)
        {
            _sum += value;
            _count++;
            // Buckets are stored non-cumulative; the snapshot accumulates them.
            var index = Array.BinarySearch(bounds!, value);
            index = index >= 0 ? index : ~index;
            if (index < _buckets!.Length)
            {
                _buckets[index]++;
            }
        }
    }

    public decimal Value
    {
        get
        {
            lock (_gate)
            {
                return _value;
            }
        }
    }

    /// <summary>Cumulative bucket counts (one per bound), the sum and the count, read together.</summary>
    public (long[] Cumulative, double Sum, long Count) Histogram()
    {
        lock (_gate)
        {
            var cumulative = new long[_buckets!.Length];
            var running = 0L;
            for (var i = 0; i < cumulative.Length; i++)
            {
                running += _buckets[i];
                cumulative[i] = running;
            }
            return (cumulative, _sum, _count);
        }
    }
}
