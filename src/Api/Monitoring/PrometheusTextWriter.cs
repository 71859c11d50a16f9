using System.Globalization;
using System.Text;

namespace LlmRouter.Api.Monitoring;

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): a HELP and TYPE line per family, then one line per
/// sample. Every sample carries the node label first.
/// </summary>
internal sealed class PrometheusTextWriter(string node)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new(4096);
    private readonly string _node = Escape(node);

    public void Family(string name, string type, string help)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    public void Sample(string name, ReadOnlySpan<KeyValuePair<string, string>> labels, string value, string? le = null)
    {
        _text.Append(name).Append("{node=\"").Append(_node).Append('"');
        foreach (var (label, text) in labels)
        {
            _text.Append(',').Append(label).Append("=\"").Append(Escape(text)).Append('"');
        }
        if (le is not null)
        {
            _text.Append(",le=\"").Append(le).Append('"');
        }
        _text.Append("} ").Append(value).Append('\n');
    }

    public void Sample(string name, string value) => Sample(name, [], value);

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => _text.ToString();

    private static string Escape(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);
}
