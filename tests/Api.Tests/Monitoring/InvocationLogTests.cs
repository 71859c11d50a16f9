using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Configuration;
using LlmRouter.Persistence;
using Microsoft.Data.Sqlite;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>The invocation log's guarantees: bodies cut at the configured size, nothing lost on a graceful stop, old rows pruned.</summary>
public sealed class InvocationLogTests
{
    [Fact]
    public async Task Bodies_over_max_body_bytes_are_cut_on_a_character_boundary_and_marked()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, extra: "[monitoring]\nmax_body_bytes = 1024"));

        var prompt = string.Concat(Enumerable.Repeat("0123456789", 500));
        await router.OpenAiChat("fake/gpt-test").CompleteChatAsync([new UserChatMessage(prompt)]);

        var logged = Assert.Single(await router.InvocationsAsync());
        var detail = JsonNode.Parse(await router.Http.GetStringAsync($"/monitor/invocations/{logged.Id}"))!;
        var request = detail["request"]!.GetValue<string>();
        var sent = fake.Single().Body;
        var marker = $"\n[truncated by llm-router: kept 1024 of {Encoding.UTF8.GetByteCount(sent)} bytes]";
        Assert.EndsWith(marker, request, StringComparison.Ordinal);
        Assert.Equal(sent[..1024], request[..^marker.Length]);
        // The response was small enough to keep whole.
        Assert.Equal("Hello from the fake upstream", JsonNode.Parse(detail["response"]!.GetValue<string>())!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("你", 256, 255)]
    [InlineData("😀", 258, 256)]
    [InlineData("a", 256, 256)]
    public void Truncation_never_splits_a_character(string unit, int max, int kept)
    {
        var body = string.Concat(Enumerable.Repeat(unit, 1000));
        var total = Encoding.UTF8.GetByteCount(body);

        var cut = InvocationBodies.Truncate(body, max)!;

        var marker = $"{InvocationBodies.MarkerStart}{kept} of {total} bytes]";
        Assert.EndsWith(marker, cut, StringComparison.Ordinal);
        var prefix = cut[..^marker.Length];
        Assert.Equal(kept, Encoding.UTF8.GetByteCount(prefix));
        Assert.StartsWith(prefix, body, StringComparison.Ordinal);
        Assert.Equal(body, InvocationBodies.Truncate(body, total));
        Assert.Null(InvocationBodies.Truncate(null, max));
    }

    [Fact]
    public async Task A_graceful_stop_writes_every_invocation_still_queued()
    {
        var directory = TempDirectory();
        var database = Path.Combine(directory, "log.db");
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), new Dictionary<string, string> { ["LLM_ROUTER_DATABASE_URL"] = "sqlite:///" + database });
        Task stopping;
        await using (var blocker = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            // Holding the write lock keeps the writer's batch waiting, so every call below is still queued when the node stops.
            await blocker.OpenAsync();
            await Execute(blocker, "BEGIN IMMEDIATE");
            for (var i = 0; i < 5; i++)
            {
                await router.OpenAiChat("fake/gpt-test").CompleteChatAsync([new UserChatMessage($"call {i}")]);
            }
            stopping = router.DisposeAsync().AsTask();
            await Task.Delay(300);
            Assert.False(stopping.IsCompleted, "the stop must wait for the queued invocations");
            await Execute(blocker, "ROLLBACK");
        }
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(5, await CountAsync(database, "status = 'success' AND prompt_tokens = 11 AND completion_tokens = 5"));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_stream_in_flight_when_the_node_stops_is_finished_and_logged()
    {
        var directory = TempDirectory();
        var database = Path.Combine(directory, "log.db");
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var release = new TaskCompletionSource();
        fake.Handler = (http, _) => FakeOpenAiUpstream.StreamAsync(http, "m", ["first", " second"], includeUsage: true,
            between: i => i == 0 ? release.Task.WaitAsync(TimeSpan.FromSeconds(20)) : Task.CompletedTask);
        var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), new Dictionary<string, string> { ["LLM_ROUTER_DATABASE_URL"] = "sqlite:///" + database });

        using var client = new HttpClient { BaseAddress = router.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"fake/gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(timeout.Token) is { } line && !line.Contains("\"first\"", StringComparison.Ordinal))
        {
        }

        var stopping = router.DisposeAsync().AsTask();
        await Task.Delay(300);
        Assert.False(stopping.IsCompleted, "the stop must wait for the stream in flight");
        release.SetResult();
        var rest = await reader.ReadToEndAsync(timeout.Token);
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("\" second\"", rest, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", rest, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(database, "status = 'success' AND stream = 1 AND prompt_tokens = 11 AND completion_tokens = 2 AND response_body = 'first second'"));
        Assert.Equal(1, await CountAsync(database, "1 = 1"));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Retention_prunes_invocations_older_than_the_configured_days_in_batches()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, extra: "[monitoring]\nretention_days = 7"));
        var log = router.Services.GetRequiredService<IInvocationLog>();
        var now = DateTimeOffset.UtcNow;
        var old = InvocationRetention.BatchSize * 2 + 100;
        for (var i = 0; i < old; i++)
        {
            _ = log.Append(Record(now.AddDays(-10).AddSeconds(i)));
        }
        _ = log.Append(Record(now.AddDays(-7).AddMinutes(-1)));
        _ = log.Append(Record(now.AddDays(-6)));
        _ = log.Append(Record(now.AddDays(-6)));
        _ = log.Append(Record(now));
        await log.FlushAsync();

        var deleted = await router.Services.GetRequiredService<InvocationRetention>().PruneAsync();

        Assert.Equal(old + 1, deleted);
        var left = await log.ListAsync(new InvocationQuery { Limit = 1000 });
        Assert.Equal(3, left.Total);
        Assert.All(left.Items, r => Assert.True(r.CreatedAt > now.AddDays(-7)));
        Assert.Equal(0, await router.Services.GetRequiredService<InvocationRetention>().PruneAsync());
    }

    [Fact]
    public async Task Retention_of_zero_days_keeps_everything()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, extra: "[monitoring]\nretention_days = 0"));
        var log = router.Services.GetRequiredService<IInvocationLog>();
        _ = log.Append(Record(DateTimeOffset.UtcNow.AddDays(-4000)));
        await log.FlushAsync();

        Assert.Equal(0, await router.Services.GetRequiredService<InvocationRetention>().PruneAsync());
        Assert.Equal(1, (await log.ListAsync(new InvocationQuery())).Total);
    }

    [Fact]
    public void Monitoring_table_binds_checks_ranges_and_warns_on_unknown_keys()
    {
        var environment = new RouterEnvironment([]);
        var loaded = RouterConfigLoader.Parse("[monitoring]\nmax_body_bytes = 4096\nretention_days = 90\ncolour = 1\n"u8, "router.toml", environment);
        Assert.Equal(new MonitoringConfig { MaxBodyBytes = 4096, RetentionDays = 90 }, loaded.Config.Monitoring);
        Assert.Contains(loaded.Warnings, w => w.Line == 4 && w.Message.Contains("colour", StringComparison.Ordinal));
        Assert.Equal(new MonitoringConfig(), RouterConfigLoader.Parse(""u8, "router.toml", environment).Config.Monitoring);

        var error = Assert.Throws<ConfigException>(() => RouterConfigLoader.Parse("[monitoring]\nmax_body_bytes = 10\n"u8, "router.toml", environment));
        Assert.Equal((2, 18), (error.Line, error.Column));
        Assert.Throws<ConfigException>(() => RouterConfigLoader.Parse("[monitoring]\nretention_days = -1\n"u8, "router.toml", environment));
    }

    internal static InvocationRecord Record(DateTimeOffset at) => new()
    {
        CreatedAt = at,
        ClientFormat = "openai",
        Provider = "fake",
        Model = "gpt-test",
        Status = InvocationStatus.Success,
        HttpStatus = 200,
    };

    private static string TempDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "llmrouter-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(string database, string where)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM invocations WHERE " + where;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
