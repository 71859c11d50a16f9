namespace LlmRouter.Api.Monitoring;

/// <summary>
/// New names for the runtime's gauges whose OpenTelemetry names end in <c>.count</c>: exported as
/// <c>dotnet_…_count</c> gauges, they fail <c>promtool check metrics</c>, which keeps that suffix for histograms
/// and summaries.
/// </summary>
internal static class CountGaugeNames
{
    public static IReadOnlyDictionary<string, string> Renames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies.loaded",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.thread_pool.thread.count"] = "dotnet.thread_pool.threads",
        ["dotnet.timer.count"] = "dotnet.timers",
    };
}
