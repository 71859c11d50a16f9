using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace LlmRouter.Api.Monitoring;

/// <summary>
/// Money summed exactly (decimal) per label set, read by an observable counter. OpenTelemetry instruments take no
/// decimals, and a sum of doubles drifts by rounding from the invocation log's cost, which must match it.
/// </summary>
internal sealed class MoneyTotals(string firstLabel, string? secondLabel = null)
{
    private readonly ConcurrentDictionary<(string First, string Second), decimal> _totals = new();

    public void Add(decimal amount, string first, string second = "") =>
        _totals.AddOrUpdate((first, second), amount, (_, total) => total + amount);

    /// <summary>One measurement per label set; the decimal is parsed as text so the double is the nearest one to it.</summary>
    public IEnumerable<Measurement<double>> Observe()
    {
        foreach (var ((first, second), total) in _totals)
        {
            var value = double.Parse(total.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            yield return secondLabel is null
                ? new Measurement<double>(value, new KeyValuePair<string, object?>(firstLabel, first))
                : new Measurement<double>(value, new(firstLabel, first), new KeyValuePair<string, object?>(secondLabel, second));
        }
    }
}
