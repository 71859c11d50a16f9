using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Configuration.Tests;

/// <summary>[models.config] keys of embedding models: the capability and a local model's pooling.</summary>
public sealed class EmbeddingModelConfigTests
{
    private static readonly RouterEnvironment NoVariables = new([]);

    private const string LocalModel = """
        [[providers]]
        name = "local"
        type = "llamacpp"

        [[models]]
        name = "embed"
        provider = "local"
        [models.config]
        model_path = "models/embed.gguf"
        supports_embeddings = true

        """;

    [Fact]
    public void Supports_embeddings_and_pooling_bind_and_default_to_off_and_the_models_own()
    {
        using var dir = new TempDirectory();
        dir.Write("router.toml", LocalModel + "pooling = \"cls\"\n" + """
            [[models]]
            name = "chat"
            provider = "local"
            [models.config]
            model_path = "models/chat.gguf"
            """);

        var result = RouterConfigLoader.Load(NoVariables, dir.Path);

        Assert.Empty(result.Warnings);
        var (embed, chat) = (result.Config.Models[0].Config, result.Config.Models[1].Config);
        Assert.Equal((true, "cls"), (embed.SupportsEmbeddings, embed.Pooling));
        Assert.Equal((false, null), (chat.SupportsEmbeddings, chat.Pooling));
    }

    [Fact]
    public void An_unknown_pooling_is_refused_with_its_place()
    {
        using var dir = new TempDirectory();
        dir.Write("router.toml", LocalModel + "pooling = \"max\"\n");

        var error = Assert.Throws<ConfigException>(() => RouterConfigLoader.Load(NoVariables, dir.Path));

        Assert.Contains("pooling 'max'", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"mean\", \"cls\" or \"last\"", error.Message, StringComparison.Ordinal);
    }
}
