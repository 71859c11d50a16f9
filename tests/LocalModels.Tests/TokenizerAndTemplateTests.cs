using LlmRouter.LocalModels.Engine;
using LlmRouter.LocalModels.Gguf;

namespace LlmRouter.LocalModels.Tests;

/// <summary>The fixture's vocabulary and chat template, as llama.cpp reads them.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class TokenizerAndTemplateTests(TinyModelFixture fixture)
{
    [Fact]
    public void The_fixture_loads_with_its_vocabulary_context_and_template()
    {
        var model = fixture.Model;
        Assert.Equal(TinyLlamaGguf.Tokens.Count, model.VocabSize);
        Assert.Equal(TinyLlamaGguf.ContextLength, model.TrainContextLength);
        Assert.Equal(TinyLlamaGguf.ChatTemplate, model.ChatTemplate);
        Assert.True(model.IsEndOfGeneration(TinyLlamaGguf.EndToken));
        Assert.False(model.IsEndOfGeneration(TinyLlamaGguf.BeginToken + 3));
    }

    [Fact]
    public void Known_words_become_pieces_and_the_rest_falls_back_to_bytes()
    {
        var model = fixture.Model;
        var tokens = model.Tokenize("hello world", addSpecial: true, parseSpecial: false);
        var hello = IndexOf("\u2581hello");
        var world = IndexOf("\u2581world");
        Assert.Equal([TinyLlamaGguf.BeginToken, hello, world], tokens);

        // "你" is not a piece: its three UTF-8 bytes become byte tokens (<0xE4> <0xBD> <0xA0>), after the "▁" piece.
        var chinese = model.Tokenize("你", addSpecial: false, parseSpecial: false);
        Assert.Equal([IndexOf("\u2581"), 3 + 0xE4, 3 + 0xBD, 3 + 0xA0], chinese);
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("你好, the world! 123")]
    public void Detokenizing_gives_the_text_back_with_the_leading_space_the_tokenizer_adds(string text)
    {
        var model = fixture.Model;
        var tokens = model.Tokenize(text, addSpecial: true, parseSpecial: false);
        Assert.Equal(" " + text, model.Detokenize(tokens));
    }

    [Fact]
    public void The_chat_template_formats_the_conversation_as_chatml_ending_with_the_assistant_turn()
    {
        var prompt = fixture.Model.ApplyChatTemplate([new ChatTurn("system", "Be brief."), new ChatTurn("user", "Say hello")]);
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nSay hello<|im_end|>\n<|im_start|>assistant\n", prompt);
    }

    [Fact]
    public void A_named_builtin_template_overrides_the_models_own()
    {
        var prompt = fixture.Model.ApplyChatTemplate([new ChatTurn("user", "hi")], "llama2");
        Assert.NotNull(prompt);
        Assert.Contains("[INST]", prompt, StringComparison.Ordinal);
        Assert.Null(fixture.Model.ApplyChatTemplate([new ChatTurn("user", "hi")], "no-such-template"));
    }

    private static int IndexOf(string piece)
    {
        var index = TinyLlamaGguf.Tokens.ToList().IndexOf(piece);
        Assert.True(index > 0, $"piece {piece} is in the vocabulary");
        return index;
    }
}
