using OpenTelemetry.Resources;

namespace LlmRouter.Api.Monitoring;

/// <summary>Describes this node to OpenTelemetry; its <c>node</c> attribute becomes a label on every exported series.</summary>
internal sealed class NodeResourceDetector(NodeInfo node) : IResourceDetector
{
    public const string NodeAttribute = "node";

    public Resource Detect() => new(new Dictionary<string, object>
    {
        ["service.name"] = "llm-router",
        ["service.version"] = node.Version,
        ["service.instance.id"] = node.NodeId,
        [NodeAttribute] = node.NodeId,
    });
}
