using System.Text;
using System.Text.Json.Nodes;

namespace LlmRouter.Api.Tests.Responses;

/// <summary>Posts a streamed Responses request as raw HTTP and reads its events one by one as they arrive.</summary>
internal static class ResponsesEventStream
{
    /// <summary>
    /// The answer's media type and its events' data, in order; <paramref name="arrived"/> sees each event as it is
    /// read, while the rest of the stream may still be on its way.
    /// </summary>
    public static async Task<(string? MediaType, List<JsonNode> Events)> PostAsync(RouterHarness router, string body, Action<JsonNode> arrived)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        using var answer = await router.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await answer.Content.ReadAsStreamAsync());
        var events = new List<JsonNode>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }
            var data = JsonNode.Parse(line[6..])!;
            events.Add(data);
            arrived(data);
        }
        return (answer.Content.Headers.ContentType?.MediaType, events);
    }

    /// <summary>Releases <paramref name="release"/> once the first text delta reached the client.</summary>
    public static Action<JsonNode> ReleaseOnFirstDelta(TaskCompletionSource release) => data =>
    {
        if (data["type"]!.GetValue<string>() == "response.output_text.delta")
        {
            release.TrySetResult();
        }
    };
}
