using System.Net;
using System.Text;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests.Security;

/// <summary>
/// An anonymous caller cannot make the node read a large body where a small one is all the endpoint takes: login,
/// keys, providers, models and rules read at most 64 KiB, announced or not; chat calls keep the large limit.
/// </summary>
public sealed class ManagementBodyTests
{
    [Fact]
    public async Task An_oversized_login_body_is_refused_whether_its_length_is_announced_or_not()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var padding = new string('x', 100 * 1024);
        var body = $$"""{"api_key":"sk-nobody","padding":"{{padding}}"}""";

        var announced = await PostAsync(router, "/auth/login", body);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = new ChunkedJson(body) };
        chunked.Headers.Add("X-Forwarded-For", RemoteClient);
        using var unannounced = await router.Http.SendAsync(chunked);

        AssertError(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "request_too_large", announced);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, unannounced.StatusCode);
        Assert.Contains("65536", await unannounced.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_call_may_still_carry_a_large_body()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var text = new string('y', 1024 * 1024);

        var call = await PostAsync(router, "/v1/chat/completions", $$"""{"model":"fake/gpt-test","messages":[{"role":"user","content":"{{text}}"}]}""", UserKey);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Contains(text, fake.Single().Body, StringComparison.Ordinal);
    }

    /// <summary>JSON sent with Transfer-Encoding: chunked (no Content-Length), as a client streaming its body would.</summary>
    private sealed class ChunkedJson : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedJson(string json)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
