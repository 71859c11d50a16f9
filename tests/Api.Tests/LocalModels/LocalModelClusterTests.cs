using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests.LocalModels;

/// <summary>
/// Real node processes on one SQLite store: API-only nodes forward local-model calls to the GPU nodes that host
/// the model, keep a session on the node whose KV cache holds it, spread new sessions to the least loaded node,
/// and answer 503 once no live node hosts the model.
/// </summary>
public sealed class LocalModelClusterTests
{
    private static ChatClient Chat(NodeProcess node) =>
        new(TinyModel.Id, new ApiKeyCredential("client-key"), new OpenAIClientOptions { Endpoint = new Uri(node.BaseUrl, "/v1") });

    private static List<ChatMessage> Messages(string text = "hello world") => [new UserChatMessage(text)];

    private static ChatCompletionOptions Greedy(int maxTokens, string? session = null)
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = maxTokens, EndUserId = session };
        options.LogitBiases[TinyModel.EndToken] = -100;
        return options;
    }

    [Fact]
    public async Task An_api_node_forwards_to_the_gpu_node_and_answers_503_once_it_is_gone()
    {
        await using var cluster = await LocalCluster.CreateAsync(TinyModel.Toml());
        var gpu = await cluster.StartNodeAsync("gpu-1", "gpu");
        var api = await cluster.StartNodeAsync("api-1", "api");
        await cluster.WaitForHostsAsync(TinyModel.Id, "gpu-1");
        var chat = Chat(api);

        var completion = (await chat.CompleteChatAsync(Messages(), Greedy(5))).Value;
        Assert.Equal(("tiny", 5, ChatFinishReason.Length), (completion.Model, completion.Usage.OutputTokenCount, completion.FinishReason));
        Assert.Equal(TinyModel.PromptTokens(("user", "hello world")), completion.Usage.InputTokenCount);

        var streamed = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(Messages(), Greedy(5)))
        {
            streamed.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            usage = update.Usage ?? usage;
        }
        Assert.Equal(completion.Content[0].Text, streamed.ToString());
        Assert.Equal(5, usage!.OutputTokenCount);

        // Both calls ran on the GPU node; the API node hosts nothing.
        Assert.Equal(2, await gpu.ServedAsync(cluster.Secret, TinyModel.Id));
        Assert.Empty(await api.LocalModelsAsync(cluster.Secret));

        await gpu.KillAsync();
        foreach (var attempt in new[] { "first call after the crash", "second call" })
        {
            using var response = await PostAsync(api, """{"model":"local/tiny","max_tokens":2,"messages":[{"role":"user","content":"hi"}]}""");
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{attempt}: {response.StatusCode}");
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
            Assert.Equal("model_unavailable", error["code"]!.GetValue<string>());
            Assert.Contains("local/tiny", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_internal_endpoint_refuses_callers_without_the_cluster_secret()
    {
        await using var cluster = await LocalCluster.CreateAsync(TinyModel.Toml());
        var gpu = await cluster.StartNodeAsync("gpu-1", "gpu");
        const string Body = """{"model":"local/tiny","max_tokens":2,"messages":[{"role":"user","content":"hi"}]}""";

        foreach (var secret in new[] { null, "wrong-secret" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/local/v1/chat/completions")
            {
                Content = new StringContent(Body, Encoding.UTF8, "application/json"),
            };
            if (secret is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            }
            using var response = await gpu.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("invalid_cluster_secret", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
        }
        Assert.Equal(0, await gpu.ServedAsync(cluster.Secret, TinyModel.Id));
    }

    [Fact]
    public async Task Sessions_stay_on_their_node_new_sessions_go_to_the_least_loaded_and_a_dead_node_fails_over()
    {
        await using var cluster = await LocalCluster.CreateAsync(TinyModel.Toml(contextSize: 32768));
        var gpuA = await cluster.StartNodeAsync("gpu-a", "gpu");
        var gpuB = await cluster.StartNodeAsync("gpu-b", "gpu");
        var api = await cluster.StartNodeAsync("api-1", "api");
        await cluster.WaitForHostsAsync(TinyModel.Id, "gpu-a", "gpu-b");
        var chat = Chat(api);
        async Task<(long A, long B)> Served() => (await gpuA.ServedAsync(cluster.Secret, TinyModel.Id), await gpuB.ServedAsync(cluster.Secret, TinyModel.Id));

        // Both nodes idle: alice lands on gpu-a (ties go to the lower id) and stays there, with a warm KV cache.
        var first = (await chat.CompleteChatAsync(Messages(), Greedy(4, "alice"))).Value;
        var again = (await chat.CompleteChatAsync(Messages(), Greedy(4, "alice"))).Value;
        Assert.Equal((2L, 0L), await Served());
        Assert.Equal(0, first.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(again.Usage.InputTokenCount - 1, again.Usage.InputTokenDetails.CachedTokenCount);

        // dave's long stream keeps gpu-a busy, so a new session (carol) goes to gpu-b.
        var dave = chat.CompleteChatStreamingAsync(Messages("dave"), Greedy(30000, "dave")).GetAsyncEnumerator();
        Assert.True(await dave.MoveNextAsync());
        // Placement is among live nodes: on a loaded machine gpu-b's heartbeat may be late, so carol waits for it.
        await cluster.WaitForHostsAsync(TinyModel.Id, "gpu-a", "gpu-b");
        await chat.CompleteChatAsync(Messages("carol"), Greedy(4, "carol"));
        Assert.Equal((2L, 1L), await Served());

        // alice still goes to gpu-a, busy as it is: she joins dave's batch there and is served while he still streams.
        var aliceWhileBusy = (await chat.CompleteChatAsync(Messages(), Greedy(4, "alice"))).Value;
        Assert.Equal(4, aliceWhileBusy.Usage.OutputTokenCount);
        Assert.Equal((3L, 1L), await Served());
        Assert.Equal(1, await QueueDepthAsync(gpuA, cluster.Secret));
        await dave.DisposeAsync();

        // gpu-a dies: alice's next call is served by gpu-b.
        await gpuA.KillAsync();
        var failedOver = (await chat.CompleteChatAsync(Messages(), Greedy(4, "alice"))).Value;
        Assert.Equal(4, failedOver.Usage.OutputTokenCount);
        Assert.Equal(2, await gpuB.ServedAsync(cluster.Secret, TinyModel.Id));

        await gpuB.KillAsync();
        using var none = await PostAsync(api, """{"model":"local/tiny","user":"alice","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, none.StatusCode);
    }

    private static async Task<int> QueueDepthAsync(NodeProcess node, string secret) =>
        (await node.LocalModelsAsync(secret)).Single()!["queue_depth"]!.GetValue<int>();

    private static Task<HttpResponseMessage> PostAsync(NodeProcess node, string body) =>
        node.Http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
}
