using System.Net;
using System.Net.Http.Headers;
using LlmRouter.Providers.Http;

namespace LlmRouter.Providers.Tests.Wire;

/// <summary>Error answers of each upstream API, as the router reports them.</summary>
public sealed class UpstreamFailuresTests
{
    // OpenAI, Anthropic, Gemini and Ollama error bodies, then a text body and an empty one.
    [Theory]
    [InlineData(401, """{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}""", "Incorrect API key provided")]
    [InlineData(529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", "Overloaded")]
    [InlineData(400, """{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}""", "API key not valid.")]
    [InlineData(404, """{"error":"model 'llama9' not found"}""", "model 'llama9' not found")]
    [InlineData(502, "Bad Gateway\n", "Bad Gateway")]
    [InlineData(503, "", "provider 'p1' answered HTTP 503")]
    public async Task Error_body_of_each_api_gives_its_message_status_and_raw_body(int status, string body, string message)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body) };

        var error = await UpstreamFailures.FromResponseAsync(response, "p1", 1 << 20, CancellationToken.None);

        Assert.Equal(UpstreamErrorKind.HttpStatus, error.Kind);
        Assert.Equal(message, error.Message);
        Assert.Equal(status, error.Status);
        Assert.Equal(body, error.RawBody);
    }

    [Fact]
    public async Task Retry_after_seconds_are_kept()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("{}") };
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        var error = await UpstreamFailures.FromResponseAsync(response, "p1", 1 << 20, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.Equal("{}", error.Message);
    }

    [Fact]
    public void Long_text_bodies_are_cut_to_500_characters()
    {
        Assert.Equal(new string('x', 500), UpstreamFailures.ErrorMessage(new string('x', 900)));
    }

    [Fact]
    public void Transport_failures_are_told_apart()
    {
        using var deadline = new UpstreamDeadline(TimeSpan.FromSeconds(30), CancellationToken.None);

        var connect = UpstreamFailures.FromException(new HttpRequestException(HttpRequestError.ConnectionError, "refused"), deadline, "p1");
        var ended = UpstreamFailures.FromException(new HttpRequestException(HttpRequestError.ResponseEnded, "ended"), deadline, "p1");
        var slow = UpstreamFailures.FromException(new OperationCanceledException(), deadline, "p1");

        Assert.Equal((UpstreamErrorKind.Connect, "cannot reach provider 'p1': refused"), (connect.Kind, connect.Message));
        Assert.Equal((UpstreamErrorKind.Protocol, "provider 'p1' broke the connection: ended"), (ended.Kind, ended.Message));
        Assert.Equal((UpstreamErrorKind.Timeout, "provider 'p1' did not answer in time"), (slow.Kind, slow.Message));
    }
}
