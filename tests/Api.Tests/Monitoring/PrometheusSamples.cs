using System.Globalization;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>The samples of a Prometheus text exposition, parsed strictly enough to look values up by name and labels.</summary>
public sealed class PrometheusSamples
{
    private PrometheusSamples(IReadOnlyList<(string Name, Dictionary<string, string> Labels, string Value)> samples) => All = samples;

    public IReadOnlyList<(string Name, Dictionary<string, string> Labels, string Value)> All { get; }

    public static PrometheusSamples Parse(string text)
    {
        var samples = new List<(string, Dictionary<string, string>, string)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var close = line.LastIndexOf('}');
            Assert.True(brace > 0 && close > brace, $"every sample has labels (at least node): {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var rest = line[(brace + 1)..close];
            var at = 0;
            while (at < rest.Length)
            {
                var equals = rest.IndexOf('=', at);
                var name = rest[at..equals];
                Assert.Equal('"', rest[equals + 1]);
                var value = new System.Text.StringBuilder();
                var i = equals + 2;
                for (; rest[i] != '"'; i++)
                {
                    if (rest[i] == '\\')
                    {
                        i++;
                        value.Append(rest[i] == 'n' ? '\n' : rest[i]);
                    }
                    else
                    {
                        value.Append(rest[i]);
                    }
                }
                labels[name] = value.ToString();
                at = i + 1 < rest.Length && rest[i + 1] == ',' ? i + 2 : i + 1;
            }
            samples.Add((line[..brace], labels, line[(close + 2)..]));
        }
        return new PrometheusSamples(samples);
    }

    /// <summary>The value of the one sample named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public decimal Value(string name, params (string Label, string Value)[] labels)
    {
        var matches = All.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).ToList();
        Assert.True(matches.Count == 1, $"expected one sample {name}{{{string.Join(",", labels.Select(l => $"{l.Label}={l.Value}"))}}}, found {matches.Count}");
        return decimal.Parse(matches[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public bool Has(string name, params (string Label, string Value)[] labels) =>
        All.Any(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value));
}
