using LlmRouter.Abstractions.Grains;

namespace LlmRouter.Api.Cluster;

/// <summary>What a node rereads when a topic of the change feed moves (see <see cref="ClusterChangeWatcher"/>).</summary>
public sealed record ClusterChangeHandler(ClusterTopic Topic, Func<CancellationToken, ValueTask> RefreshAsync);
