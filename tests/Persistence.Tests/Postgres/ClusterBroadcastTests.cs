using System.Collections.Concurrent;
using LlmRouter.Persistence.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter.Persistence.Tests.Postgres;

/// <summary>A message published on one node reaches every node sharing the database (itself included) within a second.</summary>
public sealed class ClusterBroadcastTests(PostgresDatabaseFixture fixture) : IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    [StoreFact]
    public async Task A_published_message_reaches_every_node_on_its_topic_only()
    {
        var url = await fixture.UrlAsync();
        await using var first = new PostgresDatabase(url);
        await using var second = new PostgresDatabase(url);
        using var nodeA = new PostgresClusterBroadcast(first, NullLogger<PostgresClusterBroadcast>.Instance);
        using var nodeB = new PostgresClusterBroadcast(second, NullLogger<PostgresClusterBroadcast>.Instance);
        await nodeA.StartAsync(CancellationToken.None);
        await nodeB.StartAsync(CancellationToken.None);
        await Task.WhenAll(nodeA.Listening, nodeB.Listening).WaitAsync(TimeSpan.FromSeconds(10));

        var seenA = new ConcurrentQueue<string>();
        var seenB = new ConcurrentQueue<string>();
        var other = new ConcurrentQueue<string>();
        var arrivedB = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var a = nodeA.Subscribe("config", seenA.Enqueue);
        using var b = nodeB.Subscribe("config", m => { seenB.Enqueue(m); arrivedB.TrySetResult(m); });
        using var c = nodeB.Subscribe("other", other.Enqueue);

        await nodeA.PublishAsync("config", "models changed: openai/gpt-4o");
        Assert.Equal("models changed: openai/gpt-4o", await arrivedB.Task.WaitAsync(TimeSpan.FromSeconds(1)));
        for (var i = 0; i < 100 && seenA.IsEmpty; i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(["models changed: openai/gpt-4o"], seenA);
        Assert.Empty(other);

        await nodeA.StopAsync(CancellationToken.None);
        await nodeB.StopAsync(CancellationToken.None);
    }

    /// <summary>Starting returns only once the node listens: a node serving requests before that would miss changes (seen in CI).</summary>
    [StoreFact]
    public async Task Start_returns_only_once_the_node_listens()
    {
        await using var database = new PostgresDatabase(await fixture.UrlAsync());
        using var node = new PostgresClusterBroadcast(database, NullLogger<PostgresClusterBroadcast>.Instance);
        await node.StartAsync(CancellationToken.None);
        Assert.True(node.Listening.IsCompletedSuccessfully);
        await node.StopAsync(CancellationToken.None);
    }
}
