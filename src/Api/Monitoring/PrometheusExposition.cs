namespace LlmRouter.Api.Monitoring;

/// <summary>Renders this node's metrics (router instruments, then process and runtime gauges) for GET /metrics.</summary>
public static class PrometheusExposition
{
    public const string ContentType = PrometheusTextWriter.ContentType;

    public static string Render(RouterMetrics metrics, NodeInfo node)
    {
        var writer = new PrometheusTextWriter(node.NodeId);
        foreach (var family in metrics.Families)
        {
            Write(writer, family);
        }
        ProcessMetrics.Write(writer, node);
        return writer.ToString();
    }

    private static void Write(PrometheusTextWriter writer, MetricFamily family)
    {
        var series = family.Snapshot();
        if (series.Count == 0)
        {
            return;
        }
        writer.Family(family.Name, family.Type, family.Help);
        foreach (var one in series)
        {
            if (family.Bounds is not { } bounds)
            {
                writer.Sample(family.Name, one.Labels, PrometheusTextWriter.Number(one.Value));
                continue;
            }
            var (cumulative, sum, count) = one.Histogram();
            for (var i = 0; i < bounds.Length; i++)
            {
                writer.Sample(family.Name + "_bucket", one.Labels, PrometheusTextWriter.Number(cumulative[i]), PrometheusTextWriter.Number(bounds[i]));
            }
            writer.Sample(family.Name + "_bucket", one.Labels, PrometheusTextWriter.Number(count), "+Inf");
            writer.Sample(family.Name + "_sum", one.Labels, PrometheusTextWriter.Number(sum));
            writer.Sample(family.Name + "_count", one.Labels, PrometheusTextWriter.Number(count));
        }
    }
}
