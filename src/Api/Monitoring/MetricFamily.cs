using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace LlmRouter.Api.Monitoring;

/// <summary>
/// Everything recorded on one instrument, split by label set. The instrument's name is the Prometheus family name;
/// counters become counters, up-down counters gauges, histograms histograms with the instrument's advised buckets.
/// </summary>
internal sealed class MetricFamily
{
    private readonly ConcurrentDictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);

    private MetricFamily(Instrument instrument, string type, double[]? bounds)
    {
        Name = instrument.Name;
        Help = instrument.Description ?? instrument.Name;
        Type = type;
        Bounds = bounds;
    }

    public string Name { get; }
    public string Help { get; }

    /// <summary>counter, gauge or histogram.</summary>
    public string Type { get; }

    public double[]? Bounds { get; }

    public static MetricFamily? For(Instrument instrument) => instrument switch
    {
        Counter<long> or Counter<decimal> or Counter<double> => new MetricFamily(instrument, "counter", null),
        UpDownCounter<long> or UpDownCounter<double> => new MetricFamily(instrument, "gauge", null),
        Histogram<double> histogram => new MetricFamily(instrument, "histogram",
            histogram.Advice?.HistogramBucketBoundaries?.ToArray() ?? throw new InvalidOperationException($"histogram {instrument.Name} has no bucket advice")),
        _ => null,
    };

    public void Record(decimal value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = Series(tags);
        if (Bounds is null)
        {
            series.Add(value);
        }
        else
        {
            series.Observe((double)value);
        }
    }

    public void Observe(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // A broken measurement must never throw into the code that recorded it.
        if (!double.IsFinite(value))
        {
            return;
        }
        var series = Series(tags);
        if (Bounds is null)
        {
            series.Add((decimal)value);
        }
        else
        {
            series.Observe(value);
        }
    }

    /// <summary>The series in a stable order (by label values), for rendering.</summary>
    public IReadOnlyList<MetricSeries> Snapshot() =>
        _series.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value).ToArray();

    private MetricSeries Series(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = new StringBuilder();
        foreach (var tag in tags)
        {
            key.Append(tag.Key).Append('\u0001').Append(tag.Value).Append('\u0002');
        }
        var text = key.ToString();
        if (_series.TryGetValue(text, out var existing))
        {
            return existing;
        }
        var labels = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }
        return _series.GetOrAdd(text, _ => new MetricSeries(labels, Bounds));
    }
}
