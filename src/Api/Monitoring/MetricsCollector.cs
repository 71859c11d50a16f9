using System.Diagnostics.Metrics;

namespace LlmRouter.Api.Monitoring;

/// <summary>
/// Listens to one <see cref="Meter"/> (this node's, never another node's in the same process) and keeps what it
/// measures, ready to be rendered in the Prometheus text format.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<MetricFamily> _families = [];

    public MetricsCollector(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter) || MetricFamily.For(instrument) is not { } family)
            {
                return;
            }
            lock (_gate)
            {
                _families.Add(family);
            }
            listener.EnableMeasurementEvents(instrument, family);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((MetricFamily)state!).Observe(value, tags));
        _listener.Start();
    }

    public IReadOnlyList<MetricFamily> Families
    {
        get
        {
            lock (_gate)
            {
                return _families.ToArray();
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
