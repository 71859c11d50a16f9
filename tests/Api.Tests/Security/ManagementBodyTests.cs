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
        // Chunked, written while the answer is read: the node closes with the rest unread (see ChunkedPost).
        var (unannouncedStatus, unannouncedBody) = await ChunkedPost.SendWhileReadingAsync(
            router.BaseUrl, "/auth/login", Encoding.UTF8.GetBytes(body), $"X-Forwarded-For: {RemoteClient}\r\n");

        AssertError(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "request_too_large", announced);
        Assert.Equal((int)HttpStatusCode.RequestEntityTooLarge, unannouncedStatus);
        Assert.Contains("65536", Encoding.UTF8.GetString(unannouncedBody), StringComparison.Ordinal);
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
}
