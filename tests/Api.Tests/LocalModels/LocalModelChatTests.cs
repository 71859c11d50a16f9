using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.LocalModels.Hosting;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests.LocalModels;

/// <summary>
/// A node that hosts the tiny GGUF model itself (the default roles, api and gpu) serves it through the OpenAI API:
/// completions and streams through the official SDK, exact usage, greedy determinism, stop sequences, the
/// per-model queue bound and cancellation.
/// </summary>
public sealed class LocalModelChatTests
{
    private static readonly (string, string)[] Conversation = [("system", "Be brief."), ("user", "hello world")];

    private static List<ChatMessage> Messages() => [new SystemChatMessage("Be brief."), new UserChatMessage("hello world")];

    private static ChatCompletionOptions Greedy(int maxTokens, bool banEnd = true)
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = maxTokens };
        if (banEnd)
        {
            options.LogitBiases[TinyModel.EndToken] = -100;
        }
        return options;
    }

    [Fact]
    public async Task Completion_through_the_openai_sdk_reports_exact_usage_and_is_logged()
    {
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml());

        var completion = (await router.OpenAiChat(TinyModel.Id).CompleteChatAsync(Messages(), Greedy(6))).Value;

        Assert.Equal("tiny", completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.NotEmpty(completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(TinyModel.PromptTokens(Conversation), completion.Usage.InputTokenCount);
        Assert.Equal(6, completion.Usage.OutputTokenCount);
        Assert.Equal(completion.Usage.InputTokenCount + 6, completion.Usage.TotalTokenCount);

        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal(("local", "tiny", InvocationStatus.Success, 200), (logged.Provider, logged.Model, logged.Status, logged.HttpStatus));
        Assert.Equal(((long)completion.Usage.InputTokenCount, 6L), (logged.PromptTokens, logged.CompletionTokens));
    }

    [Fact]
    public async Task Without_a_ban_on_the_end_token_the_answer_has_between_one_and_max_tokens()
    {
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml());

        var completion = (await router.OpenAiChat(TinyModel.Id).CompleteChatAsync(Messages(), Greedy(5, banEnd: false))).Value;

        Assert.InRange(completion.Usage.OutputTokenCount, 1, 5);
        if (completion.FinishReason == ChatFinishReason.Length)
        {
            Assert.Equal(5, completion.Usage.OutputTokenCount);
        }
        else
        {
            Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        }
    }

    [Fact]
    public async Task Greedy_answers_repeat_exactly_and_the_repeat_reuses_the_kv_cache()
    {
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml());
        var chat = router.OpenAiChat(TinyModel.Id);

        var first = (await chat.CompleteChatAsync(Messages(), Greedy(12))).Value;
        var second = (await chat.CompleteChatAsync(Messages(), Greedy(12))).Value;

        Assert.Equal(first.Content[0].Text, second.Content[0].Text);
        Assert.Equal(0, first.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(second.Usage.InputTokenCount - 1, second.Usage.InputTokenDetails.CachedTokenCount);
    }

    [Fact]
    public async Task A_stream_through_the_openai_sdk_carries_the_same_answer_usage_and_finish_reason()
    {
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml());
        var chat = router.OpenAiChat(TinyModel.Id);
        var whole = (await chat.CompleteChatAsync(Messages(), Greedy(10))).Value;

        var text = new StringBuilder();
        var updates = 0;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(Messages(), Greedy(10)))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.NotNull(usage);
        Assert.Equal((whole.Usage.InputTokenCount, 10), (usage!.InputTokenCount, usage.OutputTokenCount));
        Assert.True(updates > 3, "the answer arrived in several chunks");

        var logged = (await router.InvocationsAsync()).Single(r => r.Stream);
        Assert.Equal((InvocationStatus.Success, 10L), (logged.Status, logged.CompletionTokens));
        Assert.Equal(whole.Content[0].Text, (await router.Services.GetRequiredService<IInvocationLog>().GetAsync(logged.Id))!.ResponseBody);
    }

    [Fact]
    public async Task A_stop_sequence_ends_the_answer_before_it()
    {
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml());
        var chat = router.OpenAiChat(TinyModel.Id);
        var full = (await chat.CompleteChatAsync(Messages(), Greedy(30))).Value.Content[0].Text;
        var stop = full.Substring(10, 2);

        var options = Greedy(30);
        options.StopSequences.Add(stop);
        var cut = (await chat.CompleteChatAsync(Messages(), options)).Value;

        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], cut.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, cut.FinishReason);
        Assert.InRange(cut.Usage.OutputTokenCount, 1, 29);
    }

    [Fact]
    public async Task A_client_that_hangs_up_frees_the_model_for_the_next_call()
    {
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml(queueSize: 0, contextSize: 32768));
        var activation = router.Services.GetRequiredService<LocalModelHost>().Find(TinyModel.Id)!;
        var chat = router.OpenAiChat(TinyModel.Id);

        // A generation that would take minutes holds the model's only slot.
        await foreach (var update in chat.CompleteChatStreamingAsync(Messages(), Greedy(30000)))
        {
            if (update.ContentUpdate.Count > 0)
            {
                using var busy = await PostAsync(router, """{"model":"local/tiny","max_tokens":2,"messages":[{"role":"user","content":"hi"}]}""");
                Assert.Equal((HttpStatusCode)429, busy.StatusCode);
                break;
            }
        }

        await TinyModel.EventuallyAsync(() => activation.Pending == 0, "the abandoned generation is cancelled");
        Assert.Equal(1, activation.Cancelled);
        var next = (await chat.CompleteChatAsync(Messages(), Greedy(3))).Value;
        Assert.Equal(3, next.Usage.OutputTokenCount);
        var abandoned = (await router.InvocationsAsync()).Single(r => r.Stream);
        Assert.Equal(InvocationStatus.ClientClosed, abandoned.Status);
    }

    [Fact]
    public async Task Calls_beyond_the_queue_bound_are_refused_with_429_and_admitted_ones_are_served()
    {
        // queue_size 1 admits two calls; both are in the batch at once (continuous batching), so both must be long.
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml(queueSize: 1, contextSize: 32768));
        var activation = router.Services.GetRequiredService<LocalModelHost>().Find(TinyModel.Id)!;
        var chat = router.OpenAiChat(TinyModel.Id);

        var running = chat.CompleteChatStreamingAsync(Messages(), Greedy(30000)).GetAsyncEnumerator();
        Assert.True(await running.MoveNextAsync());
        var second = chat.CompleteChatStreamingAsync(Messages(), Greedy(30000)).GetAsyncEnumerator();
        Assert.True(await second.MoveNextAsync());
        await TinyModel.EventuallyAsync(() => activation.Pending == 2, "both calls are admitted");

        using var refused = await PostAsync(router, """{"model":"local/tiny","max_tokens":2,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(("rate_limit_error", "local_model_busy"), (error["type"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        Assert.Contains("local/tiny", error["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await running.DisposeAsync();
        await TinyModel.EventuallyAsync(() => activation.Pending == 1, "the hung-up call gives its slot back");
        var served = (await chat.CompleteChatAsync(Messages(), Greedy(4))).Value;
        Assert.Equal(4, served.Usage.OutputTokenCount);
        await second.DisposeAsync();
        await TinyModel.EventuallyAsync(() => activation.Pending == 0, "every slot is given back");
    }

    [Fact]
    public async Task Four_calls_generate_together_a_fifth_is_refused_with_429_and_a_new_one_joins_when_a_place_frees()
    {
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml(queueSize: 3, contextSize: 32768));
        var activation = router.Services.GetRequiredService<LocalModelHost>().Find(TinyModel.Id)!;
        var chat = router.OpenAiChat(TinyModel.Id);
        string[] users = ["hello", "hello world", "the world, the lion", "你好 42 tea"];
        var alone = new List<string>();
        foreach (var user in users)
        {
            alone.Add((await chat.CompleteChatAsync([new UserChatMessage(user)], Greedy(12))).Value.Content[0].Text);
        }

        // Four long generations in flight at once: each streams the start of its own prompt's greedy answer while
        // the others are still open (served one after the other, the second would not start before the first ended).
        var streams = users.Select(u => chat.CompleteChatStreamingAsync([new UserChatMessage(u)], Greedy(30000)).GetAsyncEnumerator()).ToArray();
        for (var i = 0; i < streams.Length; i++)
        {
            var text = new StringBuilder();
            while (text.Length < alone[i].Length && await streams[i].MoveNextAsync())
            {
                foreach (var part in streams[i].Current.ContentUpdate)
                {
                    text.Append(part.Text);
                }
            }
            Assert.StartsWith(alone[i], text.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal(4, activation.Pending);

        using (var refused = await PostAsync(router, """{"model":"local/tiny","max_tokens":2,"messages":[{"role":"user","content":"hi"}]}"""))
        {
            Assert.Equal((HttpStatusCode)429, refused.StatusCode);
            Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        }

        await streams[0].DisposeAsync();
        await TinyModel.EventuallyAsync(() => activation.Pending == 3, "the hung-up call leaves the batch");
        var joined = (await chat.CompleteChatAsync([new UserChatMessage(users[1])], Greedy(12))).Value;
        Assert.Equal(alone[1], joined.Content[0].Text);
        Assert.Equal(3, activation.Pending);

        foreach (var stream in streams[1..])
        {
            await stream.DisposeAsync();
        }
        await TinyModel.EventuallyAsync(() => activation.Pending == 0, "every slot is given back");
        Assert.Equal(4, activation.Cancelled);
    }

    [Fact]
    public async Task A_call_abandoned_while_batched_with_another_is_cancelled_and_frees_its_slot()
    {
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml(queueSize: 1, contextSize: 32768));
        var activation = router.Services.GetRequiredService<LocalModelHost>().Find(TinyModel.Id)!;
        var chat = router.OpenAiChat(TinyModel.Id);
        var running = chat.CompleteChatStreamingAsync(Messages(), Greedy(30000)).GetAsyncEnumerator();
        Assert.True(await running.MoveNextAsync());

        using (var leaving = new CancellationTokenSource())
        {
            var waiting = PostAsync(router, """{"model":"local/tiny","max_tokens":30000,"logit_bias":{"2":-100},"messages":[{"role":"user","content":"hi"}]}""", leaving.Token);
            await TinyModel.EventuallyAsync(() => activation.Pending == 2, "the second call is admitted");
            await leaving.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }
        await TinyModel.EventuallyAsync(() => activation.Pending == 1, "the abandoned call leaves the batch");
        Assert.Equal((1L, 0L), (activation.Cancelled, activation.Served));
        await running.DisposeAsync();

        await TinyModel.EventuallyAsync(() => activation.Pending == 0, "both slots are given back");
        Assert.Equal((2L, 0L), (activation.Cancelled, activation.Served));
        Assert.Equal(2, (await chat.CompleteChatAsync(Messages(), Greedy(2))).Value.Usage.OutputTokenCount);
        await TinyModel.EventuallyAsync(() => activation.Served == 1, "the next call is served");
    }

    [Theory]
    [InlineData("""{"model":"local/tiny","n":2,"messages":[{"role":"user","content":"hi"}]}""", "n")]
    [InlineData("""{"model":"local/tiny","tools":[{"type":"function","function":{"name":"f"}}],"messages":[{"role":"user","content":"hi"}]}""", "tools")]
    [InlineData("""{"model":"local/tiny","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"http://x/y.png"}}]}]}""", "messages[0].content")]
    [InlineData("""{"model":"local/tiny","logit_bias":{"99999":-100},"messages":[{"role":"user","content":"hi"}]}""", "logit_bias")]
    [InlineData("""{"model":"local/tiny","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"local/tiny","temperature":3,"messages":[{"role":"user","content":"hi"}]}""", "temperature")]
    public async Task What_a_local_model_cannot_do_is_refused_with_400(string body, string param)
    {
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml());

        using var response = await PostAsync(router, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(("invalid_request_error", param), (error["type"]!.GetValue<string>(), error["param"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_conversation_longer_than_the_context_is_refused_with_400()
    {
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml(contextSize: 256));
        var longText = string.Join(' ', Enumerable.Repeat("你好", 200));

        using var response = await PostAsync(router, new JsonObject
        {
            ["model"] = TinyModel.Id,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = longText }),
        }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("context_length_exceeded", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_model_file_that_cannot_be_loaded_answers_503_with_the_reason()
    {
        var missing = Path.Combine(Path.GetTempPath(), "llmrouter-tests", "no-such-model.gguf");
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml(modelPath: missing));
        var activation = router.Services.GetRequiredService<LocalModelHost>().Find(TinyModel.Id)!;
        await TinyModel.EventuallyAsync(() => activation.State == LocalModelState.Failed, "loading fails");

        using var response = await PostAsync(router, """{"model":"local/tiny","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("model_unavailable", error["code"]!.GetValue<string>());
        Assert.Contains("no-such-model.gguf", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cuda_backend_setting_makes_the_node_load_llama_cpp_from_the_cuda_build()
    {
        // This build carries LLamaSharp's CPU backend only (nor has this machine a GPU): the model fails to load,
        // naming the folder the CUDA natives were looked for in and the build switch that brings them.
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml(extra: "[cluster]\nllama_backend = \"cuda\""));
        var host = router.Services.GetRequiredService<LocalModelHost>();
        var activation = host.Find(TinyModel.Id)!;
        await TinyModel.EventuallyAsync(() => activation.State == LocalModelState.Failed, "loading fails");

        Assert.Equal(new LlamaLibrarySource("cuda", null), host.Library);
        Assert.Contains(Path.Combine("runtimes", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native", "cuda12"), activation.Error, StringComparison.Ordinal);
        Assert.Contains("-p:LlamaBackend=Cuda12", activation.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_llama_backend_is_a_configuration_error()
    {
        var error = await Assert.ThrowsAsync<LlmRouter.Configuration.ConfigException>(() =>
            RouterHarness.StartAsync(TinyModel.Toml(extra: "[cluster]\nllama_backend = \"rocm\"")));
        Assert.Contains("llama_backend", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_native_invoke_endpoint_serves_local_models_too()
    {
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml());

        using var response = await router.Http.PostAsync("/models/local/tiny/invoke",
            new StringContent("""{"prompt":"hello","parameters":{"max_tokens":4,"temperature":0,"logit_bias":{"2":-100}}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, 4L), (logged.Status, logged.CompletionTokens));
    }

    private static Task<HttpResponseMessage> PostAsync(RouterHarness router, string body, CancellationToken cancellationToken = default) =>
        router.Http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
}
