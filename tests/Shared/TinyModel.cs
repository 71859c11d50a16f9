using LlmRouter.LocalModels.Engine;
using LlmRouter.LocalModels.Gguf;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter.Tests.Shared;

/// <summary>
/// The tiny random-weight GGUF (written once per test run), router.toml files that serve it as the local model
/// <c>local/tiny</c>, and its tokenizer, so tests can count prompt tokens independently of the node.
/// </summary>
public static class TinyModel
{
    public const string Id = "local/tiny";

    /// <summary>The fixture's end-of-sequence token: banning it (logit_bias -100) makes generation run to max_tokens.</summary>
    public const int EndToken = TinyLlamaGguf.EndToken;

    private static readonly Lazy<string> File = new(() =>
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "llmrouter-tests", "models-" + Environment.ProcessId);
        var path = System.IO.Path.Combine(directory, "tiny.gguf");
        TinyLlamaGguf.Write(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Harmless in a temp directory.
            }
        };
        return path;
    });

    private static readonly Lazy<LlamaModel> Model = new(() =>
    {
        LlamaBackend.EnsureLoaded("cpu", libraryDirectory: null, NullLoggerFactory.Instance);
        return LlamaModel.Load(Path);
    });

    public static string Path => File.Value;

    /// <summary>A router.toml serving the fixture as <c>local/tiny</c>.</summary>
    public static string Toml(int queueSize = 8, int contextSize = 2048, string? modelPath = null, string extra = "") => $"""
        [server]
        host = "127.0.0.1"

        [[providers]]
        name = "local"
        type = "llamacpp"

        [[models]]
        name = "tiny"
        provider = "local"
        tags = ["local"]
        [models.config]
        model_path = '{modelPath ?? Path}'
        context_size = {contextSize}
        threads = 1
        queue_size = {queueSize}

        {extra}
        """;

    /// <summary>The prompt tokens of a conversation: the ChatML template, tokenized with the BOS token.</summary>
    public static int PromptTokens(params (string Role, string Content)[] messages)
    {
        var model = Model.Value;
        var text = model.ApplyChatTemplate(messages.Select(m => new ChatTurn(m.Role, m.Content)).ToArray())!;
        return model.Tokenize(text, addSpecial: true, parseSpecial: true).Length;
    }

    /// <summary>Polls until <paramref name="condition"/> holds (state changes on other threads), failing after <paramref name="seconds"/>.</summary>
    public static Task EventuallyAsync(Func<bool> condition, string what, double seconds = 15) =>
        EventuallyAsync(() => Task.FromResult(condition()), what, seconds);

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting until {what}");
            }
            await Task.Delay(25);
        }
    }
}
