using System.Text;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api;
using LlmRouter.Api.Pipeline;
using LlmRouter.Configuration;
using LlmRouter.Persistence;
using LlmRouter.Persistence.Sqlite;
using LlmRouter.Tests.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter.Api.Tests.Pipeline;

/// <summary>
/// The parts a pipeline step runs on, for testing one step on its own: a router.toml parsed as a node would, the real
/// invocation log over SQLite in a temporary directory, and a request context whose answer is kept in memory.
/// </summary>
internal sealed class PipelineKit : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private PipelineKit(TempDirectory directory, IRouterConfigSource config, SqliteDatabase database, BatchedInvocationLog log)
    {
        _directory = directory;
        Config = config;
        Database = database;
        Log = log;
    }

    public IRouterConfigSource Config { get; }

    public SqliteDatabase Database { get; }

    public BatchedInvocationLog Log { get; }

    /// <summary>Records as the listeners heard them, in order.</summary>
    public List<InvocationRecord> Heard { get; } = [];

    public static async Task<PipelineKit> StartAsync(string toml)
    {
        var config = new FixedConfig(RouterConfigLoader.Parse(Encoding.UTF8.GetBytes(toml), null, new RouterEnvironment([])).Config);
        var directory = new TempDirectory();
        var database = new SqliteDatabase(directory.File("router.db"));
        await database.MigrateAsync();
        return new PipelineKit(directory, config, database, new BatchedInvocationLog(new SqliteInvocationStore(database), NullLogger<BatchedInvocationLog>.Instance, config));
    }

    public InvocationRecorder Recorder() => new(Log, [new HeardListener(Heard)], new NodeInfo("node-a"), TimeProvider.System, Config);

    /// <summary>The records in the store, oldest first.</summary>
    public async Task<IReadOnlyList<InvocationRecord>> StoredAsync()
    {
        await Log.FlushAsync();
        return (await Log.ListAsync(new InvocationQuery())).Items.OrderBy(r => r.Id).ToArray();
    }

    /// <summary>A POST request carrying <paramref name="json"/>, its answer written to <see cref="Answer"/>.</summary>
    public static DefaultHttpContext Request(string json = "{}")
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.ContentType = "application/json";
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var answer = new MemoryStream();
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(answer));
        http.Response.Body = answer;
        return http;
    }

    /// <summary>What was written to the client of <paramref name="http"/>.</summary>
    public static async Task<string> AnswerAsync(HttpContext http)
    {
        await http.Response.BodyWriter.FlushAsync();
        return Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        await Database.DisposeAsync();
        _directory.Dispose();
    }

    private sealed class HeardListener(List<InvocationRecord> heard) : IInvocationListener
    {
        public Task OnInvocationCompleted(InvocationRecord record)
        {
            lock (heard)
            {
                heard.Add(record);
            }
            return Task.CompletedTask;
        }
    }

    private sealed class FixedConfig(RouterConfig config) : IRouterConfigSource
    {
        public RouterConfig Current => config;

        public event Action<RouterConfig>? Changed
        {
            add { }
            remove { }
        }
    }
}
