using System.Text;
using LlmRouter.LocalModels.Engine;
using LlmRouter.LocalModels.Gguf;

namespace LlmRouter.LocalModels.Tests;

/// <summary>Generation on the fixture: greedy determinism, KV reuse, token limits, stop sequences, cancellation.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class GenerationTests(TinyModelFixture fixture)
{
    private static readonly Dictionary<int, float> NoEnd = new() { [TinyLlamaGguf.EndToken] = float.NegativeInfinity };

    private int[] Prompt(string user) => fixture.ChatPrompt(user);

    private static (string Text, GenerationOutcome Outcome) Run(LlamaScheduler context, int[] prompt, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        var outcome = Generate(context, prompt, options, piece => text.Append(piece), cancellationToken);
        return (text.ToString(), outcome);
    }

    /// <summary>Runs one request alone on the scheduler, stepping until it ends.</summary>
    internal static GenerationOutcome Generate(LlamaScheduler context, int[] prompt, GenerationOptions options, Action<string> onText, CancellationToken cancellationToken)
    {
        GenerationOutcome? outcome = null;
        context.Add(prompt, options, onText, ended => outcome = ended, cancellationToken);
        while (!context.IsIdle)
        {
            context.Step();
        }
        return outcome!;
    }

    /// <summary>Greedy decoding with the end token banned, so generation runs to <paramref name="maxTokens"/> or a stop sequence.</summary>
    internal static GenerationOptions Greedy(int maxTokens, IReadOnlyList<string>? stop = null) => new()
    {
        MaxTokens = maxTokens,
        Sampling = new SamplingOptions { Temperature = 0, LogitBias = NoEnd },
        Stop = stop ?? [],
    };

    [Fact]
    public void Greedy_generation_is_deterministic_across_contexts_and_with_a_reused_prompt()
    {
        var prompt = Prompt("hello world");
        using var first = fixture.NewScheduler();
        using var second = fixture.NewScheduler();

        var a = Run(first, prompt, Greedy(24));
        var b = Run(second, prompt, Greedy(24));
        var again = Run(first, prompt, Greedy(24));

        Assert.NotEmpty(a.Text);
        Assert.Equal(a.Text, b.Text);
        Assert.Equal(a.Text, again.Text);
        Assert.Equal((GenerationStatus.Completed, "length", prompt.Length, 24), (a.Outcome.Status, a.Outcome.FinishReason, a.Outcome.PromptTokens, a.Outcome.CompletionTokens));
        Assert.Equal(0, a.Outcome.ReusedPromptTokens);
        // The second run on the same context finds the prompt in its (parked) sequence's KV memory and evaluates only the last token.
        Assert.Equal(prompt.Length - 1, again.Outcome.ReusedPromptTokens);
    }

    [Fact]
    public void A_longer_conversation_reuses_the_shared_prefix_and_still_matches_a_cold_run()
    {
        var shortPrompt = Prompt("hello");
        var longPrompt = Prompt("hello world, the world");
        using var warm = fixture.NewScheduler();
        using var cold = fixture.NewScheduler();

        Run(warm, shortPrompt, Greedy(8));
        var reused = Run(warm, longPrompt, Greedy(16));
        var fresh = Run(cold, longPrompt, Greedy(16));

        Assert.Equal(fresh.Text, reused.Text);
        Assert.InRange(reused.Outcome.ReusedPromptTokens, 1, longPrompt.Length - 1);
        Assert.Equal(0, fresh.Outcome.ReusedPromptTokens);
    }

    [Fact]
    public void Sampling_with_a_seed_is_repeatable_and_the_seed_matters()
    {
        var prompt = Prompt("hello");
        using var context = fixture.NewScheduler();
        GenerationOptions Seeded(uint seed) => new() { MaxTokens = 32, Sampling = new SamplingOptions { Temperature = 1.5f, TopK = 50, TopP = 0.95f, Seed = seed, LogitBias = NoEnd } };

        var one = Run(context, prompt, Seeded(7)).Text;
        var same = Run(context, prompt, Seeded(7)).Text;
        var other = Run(context, prompt, Seeded(8)).Text;

        Assert.Equal(one, same);
        Assert.NotEqual(one, other);
    }

    [Fact]
    public void The_end_token_ends_generation_with_stop_and_is_not_counted()
    {
        var prompt = Prompt("hello");
        using var context = fixture.NewScheduler();
        var options = new GenerationOptions
        {
            MaxTokens = 10,
            Sampling = new SamplingOptions { Temperature = 0, LogitBias = new Dictionary<int, float> { [TinyLlamaGguf.EndToken] = float.PositiveInfinity } },
        };

        var (text, outcome) = Run(context, prompt, options);

        Assert.Equal("", text);
        Assert.Equal(("stop", 0), (outcome.FinishReason, outcome.CompletionTokens));
    }

    [Fact]
    public void A_stop_sequence_cuts_the_text_before_it()
    {
        var prompt = Prompt("hello world");
        using var context = fixture.NewScheduler();
        var full = Run(context, prompt, Greedy(40)).Text;
        var stop = full.Substring(12, 3);

        var (text, outcome) = Run(context, prompt, Greedy(40, [stop]));

        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], text);
        Assert.Equal(GenerationStatus.Completed, outcome.Status);
        Assert.Equal("stop", outcome.FinishReason);
        Assert.InRange(outcome.CompletionTokens, 1, 39);
    }

    [Fact]
    public void Cancelling_stops_generation_between_tokens()
    {
        var prompt = Prompt("hello");
        using var context = fixture.NewScheduler(size: 4096);
        using var cancel = new CancellationTokenSource();
        var pieces = 0;

        var outcome = Generate(context, prompt, Greedy(3000), _ =>
        {
            if (++pieces == 5)
            {
                cancel.Cancel();
            }
        }, cancel.Token);

        Assert.Equal(GenerationStatus.Cancelled, outcome.Status);
        Assert.InRange(outcome.CompletionTokens, 5, 100);
        // The context stays usable.
        Assert.Equal(GenerationStatus.Completed, Run(context, prompt, Greedy(4)).Outcome.Status);
    }

    [Fact]
    public void A_full_context_ends_generation_with_length()
    {
        var prompt = Prompt("hello");
        using var context = fixture.NewScheduler(size: 256);
        Assert.Equal(256, context.ContextSize);

        var (_, outcome) = Run(context, prompt, Greedy(1000));

        Assert.Equal(("length", GenerationStatus.Completed), (outcome.FinishReason, outcome.Status));
        // Every position holds a token; the last sampled token is returned without being evaluated.
        Assert.Equal(256 - prompt.Length + 1, outcome.CompletionTokens);
    }
}
