using Npgsql;
using Xunit.Abstractions;

namespace LlmRouter.Cluster.Tests.Infrastructure;

/// <summary>
/// Node processes of one cluster started with their roles (<c>LLM_ROUTER_ROLES</c>); their output goes to the test's
/// output when the test fails, and they are stopped together.
/// </summary>
internal sealed class NodeGroup(string directory, string configPath, string databaseUrl, ITestOutputHelper output) : IDisposable
{
    private readonly List<RouterNodeProcess> _nodes = [];

    public async Task<RouterNodeProcess> StartAsync(string nodeId, string roles, params (string Name, string Value)[] environment)
    {
        var variables = environment.ToDictionary(v => v.Name, v => v.Value);
        variables["LLM_ROUTER_ROLES"] = roles;
        var node = await RouterNodeProcess.StartAsync(nodeId, directory, configPath, databaseUrl, variables);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Runs the test's steps; on failure writes every node's output before the failure goes on.</summary>
    public async Task RunAsync(Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch
        {
            _nodes.ForEach(n => output.WriteLine(n.Process.ToString()));
            throw;
        }
    }

    public void Dispose()
    {
        _nodes.ForEach(n => n.Dispose());
        NpgsqlConnection.ClearAllPools();
    }
}
