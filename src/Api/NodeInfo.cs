using System.Reflection;

namespace LlmRouter.Api;

/// <summary>Who this node is: its id (logs, metrics, invocation log) and the build's version.</summary>
public sealed record NodeInfo(string NodeId)
{
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public string Version { get; } =
        typeof(NodeInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
