using System.Net;
using System.Text;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Persistence.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>
/// [monitoring] durable_log: by default a call's answer ends only once its invocation record is in the store (so a
/// node killed right after answering has logged what it answered); turned off, the answer does not wait. The test
/// holds the SQLite file's write turn to keep the store from committing.
/// </summary>
public sealed class DurableLogTests
{
    [Fact]
    public async Task An_answer_ends_only_once_its_record_is_stored()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(
            RouterHarness.Toml(fake.BaseUrl, extra: "[monitoring]\ndurable_log_timeout = 30"), Environment());
        var log = router.Services.GetRequiredService<IInvocationLog>();

        Task<HttpResponseMessage> call;
        using (await router.Services.GetRequiredService<SqliteDatabase>().TakeWriteTurnAsync())
        {
            call = PostAsync(router);
            await UpstreamAnsweredAsync(fake);
            await Task.Delay(300);
            Assert.False(call.IsCompleted, "the answer ended while its record could not be stored");
        }
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // No flush: the answer's end already means the record is committed.
        Assert.Equal(1, (await log.ListAsync(new InvocationQuery())).Total);
    }

    [Fact]
    public async Task Turned_off_an_answer_does_not_wait_for_the_store()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(
            RouterHarness.Toml(fake.BaseUrl, extra: "[monitoring]\ndurable_log = false\ndurable_log_timeout = 30"), Environment());
        var log = router.Services.GetRequiredService<IInvocationLog>();

        using (await router.Services.GetRequiredService<SqliteDatabase>().TakeWriteTurnAsync())
        {
            using var response = await PostAsync(router).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(0, (await log.ListAsync(new InvocationQuery())).Total);
        }
        await log.FlushAsync();
        Assert.Equal(1, (await log.ListAsync(new InvocationQuery())).Total);
    }

    private static Dictionary<string, string> Environment() => new() { ["FAKE_UPSTREAM_KEY"] = "sk-upstream" };

    private static Task<HttpResponseMessage> PostAsync(RouterHarness router) => router.Http.PostAsync("/v1/chat/completions",
        new StringContent("""{"model":"fake/gpt-test","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

    private static async Task UpstreamAnsweredAsync(FakeOpenAiUpstream fake)
    {
        for (var i = 0; i < 200 && fake.Requests.IsEmpty; i++)
        {
            await Task.Delay(50);
        }
        Assert.Single(fake.Requests);
    }
}
