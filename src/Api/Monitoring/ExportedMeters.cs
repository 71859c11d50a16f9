using Microsoft.Extensions.Diagnostics.Metrics;

namespace LlmRouter.Api.Monitoring;

/// <summary>The meters GET /metrics exports: adding one is one line here.</summary>
internal static class ExportedMeters
{
    /// <summary>
    /// Meters a node creates through its own <c>IMeterFactory</c>. Only this node's instances are read
    /// (<see cref="MeterScope.Local"/>), so nodes sharing a process never count each other's traffic.
    /// </summary>
    public static IReadOnlyList<string> PerNode { get; } =
    [
        RouterMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        // HttpClient to upstreams: UpstreamHttpClients hands its handlers the node's meter factory.
        "System.Net.Http",
    ];

    /// <summary>Meters that exist once per process (<see cref="MeterScope.Global"/>): the .NET runtime's.</summary>
    public static IReadOnlyList<string> PerProcess { get; } =
    [
        "System.Runtime",
    ];
}
