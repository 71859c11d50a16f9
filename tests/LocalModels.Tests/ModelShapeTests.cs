using System.Text;
using LlmRouter.LocalModels.Engine;
using LlmRouter.LocalModels.Gguf;
using static LlmRouter.LocalModels.Tests.GenerationTests;

namespace LlmRouter.LocalModels.Tests;

/// <summary>Random models of other shapes than the fixture's (the benchmark's medium ones): llama.cpp loads and runs them.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class ModelShapeTests(TinyModelFixture fixture)
{
    [Fact]
    public void The_fixture_with_q8_0_weights_loads_a_quarter_of_the_size_and_generates_the_same_text_twice()
    {
        var path = Path.Combine(fixture.Directory, "tiny-q8_0.gguf");
        TinyLlamaGguf.Write(path, shape: LlamaShape.Tiny with { WeightType = GgufTensorType.Q8_0 });
        using var model = LlamaModel.Load(path);

        Assert.Equal(TinyLlamaGguf.Tokens.Count, model.VocabSize);
        // The 2-D weights take 34 bytes per 32 values instead of 128; norms and metadata stay as they were.
        Assert.InRange(new FileInfo(path).Length, new FileInfo(fixture.ModelPath).Length / 4, new FileInfo(fixture.ModelPath).Length / 3);
        var prompt = model.Tokenize(model.ApplyChatTemplate([new ChatTurn("user", "hello world")])!, addSpecial: true, parseSpecial: true);
        string Run()
        {
            using var context = LlamaScheduler.Create(model, 256, threads: 1, sequences: 1);
            var text = new StringBuilder();
            var outcome = Generate(context, prompt, Greedy(16), piece => text.Append(piece), CancellationToken.None);
            Assert.Equal((GenerationStatus.Completed, 16), (outcome.Status, outcome.CompletionTokens));
            return text.ToString();
        }
        var first = Run();
        Assert.NotEmpty(first);
        Assert.Equal(first, Run());
    }
}
