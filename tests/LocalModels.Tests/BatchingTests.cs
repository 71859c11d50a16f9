using System.Text;
using LlmRouter.LocalModels.Engine;
using static LlmRouter.LocalModels.Tests.GenerationTests;

namespace LlmRouter.LocalModels.Tests;

/// <summary>
/// Continuous batching on the fixture: requests in flight share decode steps, each gets the completion of its own
/// prompt, joins at the next step, and leaves (freeing its cells) when it ends or is cancelled.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class BatchingTests(TinyModelFixture fixture)
{
    private static readonly string[] Users = ["hello", "hello world", "the world, the lion", "你好 42 tea"];

    private int[] Prompt(string user) => fixture.ChatPrompt(user);

    private string Alone(string user, int maxTokens)
    {
        using var context = fixture.NewScheduler();
        var text = new StringBuilder();
        var outcome = Generate(context, Prompt(user), Greedy(maxTokens), piece => text.Append(piece), CancellationToken.None);
        Assert.Equal(GenerationStatus.Completed, outcome.Status);
        return text.ToString();
    }

    /// <summary>
    /// Greedy decoding of a sequence batched with three others gives exactly its output alone here: on the CPU
    /// backend with one thread each row of a batched matrix product is computed the same way as a single row.
    /// (Other backends may pick different kernels for batches, which can flip a near-tie between two tokens.)
    /// </summary>
    [Fact]
    public void Four_requests_in_one_batch_each_get_the_greedy_completion_of_their_own_prompt()
    {
        var alone = Users.Select(u => Alone(u, 24)).ToArray();
        using var context = fixture.NewScheduler(size: 1024, sequences: 4);
        var texts = Users.Select(_ => new StringBuilder()).ToArray();
        var outcomes = new GenerationOutcome?[Users.Length];
        for (var i = 0; i < Users.Length; i++)
        {
            var index = i;
            context.Add(Prompt(Users[i]), Greedy(24), piece => texts[index].Append(piece), o => outcomes[index] = o, CancellationToken.None);
        }

        var steps = 0;
        var widest = 0;
        while (!context.IsIdle)
        {
            context.Step();
            steps++;
            widest = Math.Max(widest, context.Active);
        }

        Assert.Equal(4, widest);
        // One step evaluates all four prompts, then each step one token of every sequence: 24 steps in all,
        // where one after the other would take 4 x 24.
        Assert.Equal(24, steps);
        for (var i = 0; i < Users.Length; i++)
        {
            Assert.Equal(alone[i], texts[i].ToString());
            Assert.Equal((GenerationStatus.Completed, "length", Prompt(Users[i]).Length, 24),
                (outcomes[i]!.Status, outcomes[i]!.FinishReason, outcomes[i]!.PromptTokens, outcomes[i]!.CompletionTokens));
        }
        Assert.Distinct(texts.Select(t => t.ToString()));
    }

    [Fact]
    public void A_request_added_while_others_generate_joins_at_the_next_step()
    {
        var alone = Alone(Users[1], 12);
        using var context = fixture.NewScheduler(sequences: 2);
        var first = new StringBuilder();
        var second = new StringBuilder();
        GenerationOutcome? firstOutcome = null;
        GenerationOutcome? secondOutcome = null;
        context.Add(Prompt(Users[0]), Greedy(40), piece => first.Append(piece), o => firstOutcome = o, CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            context.Step();
        }

        context.Add(Prompt(Users[1]), Greedy(12), piece => second.Append(piece), o => secondOutcome = o, CancellationToken.None);
        context.Step();
        Assert.Equal((2, 0), (context.Active, context.Waiting));
        while (secondOutcome is null)
        {
            context.Step();
        }

        Assert.Equal(alone, second.ToString());
        Assert.Null(firstOutcome);
        Assert.Equal(1, context.Active);
        while (!context.IsIdle)
        {
            context.Step();
        }
        Assert.Equal(Alone(Users[0], 40), first.ToString());
    }

    [Fact]
    public void Cancelling_one_batched_request_frees_its_cells_at_once_and_the_others_run_to_completion()
    {
        var alone = Users.Select(u => Alone(u, 40)).ToArray();
        using var context = fixture.NewScheduler(size: 1024, sequences: 4);
        using var cancel = new CancellationTokenSource();
        var texts = Users.Select(_ => new StringBuilder()).ToArray();
        var outcomes = new GenerationOutcome?[Users.Length];
        for (var i = 0; i < Users.Length; i++)
        {
            var index = i;
            context.Add(Prompt(Users[i]), Greedy(40), piece => texts[index].Append(piece), o => outcomes[index] = o, index == 2 ? cancel.Token : CancellationToken.None);
        }
        for (var i = 0; i < 6; i++)
        {
            context.Step();
        }
        Assert.Equal(4, context.Active);
        var cellsBefore = context.UsedCells;

        cancel.Cancel();
        context.Step();

        // The cancelled sequence left before the step and its prompt and 5 evaluated tokens were removed from memory;
        // the three others each added one token.
        Assert.Equal(3, context.Active);
        Assert.Equal(cellsBefore - (Prompt(Users[2]).Length + 5) + 3, context.UsedCells);
        Assert.Equal((GenerationStatus.Cancelled, 6), (outcomes[2]!.Status, outcomes[2]!.CompletionTokens));
        while (!context.IsIdle)
        {
            context.Step();
        }
        foreach (var i in new[] { 0, 1, 3 })
        {
            Assert.Equal((GenerationStatus.Completed, 40), (outcomes[i]!.Status, outcomes[i]!.CompletionTokens));
            Assert.Equal(alone[i], texts[i].ToString());
        }
    }

    [Fact]
    public void Requests_beyond_the_batch_width_wait_and_join_as_places_free_up()
    {
        using var context = fixture.NewScheduler(sequences: 2);
        var outcomes = new List<GenerationOutcome>();
        var lengths = new[] { 3, 9, 5 };
        foreach (var length in lengths)
        {
            context.Add(Prompt(Users[0]), Greedy(length), _ => { }, outcomes.Add, CancellationToken.None);
        }

        context.Step();
        Assert.Equal((2, 1), (context.Active, context.Waiting));
        while (!context.IsIdle)
        {
            context.Step();
            Assert.InRange(context.Active, 0, 2);
        }

        Assert.Equal([3, 5, 9], outcomes.Select(o => o.CompletionTokens).ToArray());
        Assert.All(outcomes, o => Assert.Equal(GenerationStatus.Completed, o.Status));
    }

    [Fact]
    public void Sequences_share_the_contexts_cells_and_the_one_that_finds_none_ends_with_length()
    {
        using var context = fixture.NewScheduler(size: 256, sequences: 2);
        Assert.Equal(256, context.ContextSize);
        var first = Prompt(Users[0]);
        var second = Prompt(Users[1]);
        var outcomes = new GenerationOutcome?[2];
        context.Add(first, Greedy(1000), _ => { }, o => outcomes[0] = o, CancellationToken.None);
        context.Add(second, Greedy(1000), _ => { }, o => outcomes[1] = o, CancellationToken.None);

        while (!context.IsIdle)
        {
            context.Step();
        }

        Assert.All(outcomes, o => Assert.Equal((GenerationStatus.Completed, "length"), (o!.Status, o.FinishReason)));
        // Both generated in step until one cell was left: the older sequence took it and the younger one ended
        // (its last sampled token returned without being evaluated) ...
        Assert.Equal(255, first.Length + second.Length + 2 * (outcomes[1]!.CompletionTokens - 1));
        // ... freeing its cells at once, so the older one went on until it held the whole context.
        Assert.Equal(256 - first.Length + 1, outcomes[0]!.CompletionTokens);
    }

    [Fact]
    public void Parked_sequences_give_their_cells_to_a_request_that_needs_them()
    {
        using var context = fixture.NewScheduler(size: 256, sequences: 2);
        var first = Prompt(Users[0]);
        var second = Prompt(Users[1]);
        context.Add(first, Greedy(40), _ => { }, _ => { }, CancellationToken.None);
        context.Add(second, Greedy(40), _ => { }, _ => { }, CancellationToken.None);
        while (!context.IsIdle)
        {
            context.Step();
        }
        // Both completed and stay parked with their prompts and 39 evaluated tokens each.
        Assert.Equal(first.Length + second.Length + 2 * 39, context.UsedCells);

        var again = GenerationTests.Generate(context, first, Greedy(1000), _ => { }, CancellationToken.None);

        // The same conversation takes the first one's sequence and evaluates only its last prompt token; once the
        // free cells are used up the second one is evicted, and the request goes on until it holds the whole context.
        Assert.Equal(first.Length - 1, again.ReusedPromptTokens);
        Assert.Equal(("length", 256 - first.Length + 1), (again.FinishReason, again.CompletionTokens));
        // A request that filled the context is not parked: nothing is left in memory.
        Assert.Equal(0, context.UsedCells);
    }

    [Fact]
    public void A_prompt_that_waits_for_cells_goes_on_once_a_sequence_that_filled_the_context_leaves()
    {
        using var context = fixture.NewScheduler(size: 256, sequences: 2);
        var first = Prompt(string.Join(' ', Enumerable.Repeat("hello world", 70)));
        var second = Prompt(string.Join(' ', Enumerable.Repeat("the world", 70)));
        Assert.InRange(first.Length + second.Length, 257, 2 * 255);
        var outcomes = new GenerationOutcome?[2];
        context.Add(first, Greedy(1000), _ => { }, o => outcomes[0] = o, CancellationToken.None);
        context.Add(second, Greedy(1000), _ => { }, o => outcomes[1] = o, CancellationToken.None);

        while (!context.IsIdle)
        {
            context.Step();
        }

        // The first prompt and part of the second fill the context; the first's next token finds no cell, so it ends
        // after one token and frees its cells, and the second prompt is fed in full and generates to the end.
        Assert.Equal((GenerationStatus.Completed, "length", 1), (outcomes[0]!.Status, outcomes[0]!.FinishReason, outcomes[0]!.CompletionTokens));
        Assert.Equal((GenerationStatus.Completed, "length", 256 - second.Length + 1), (outcomes[1]!.Status, outcomes[1]!.FinishReason, outcomes[1]!.CompletionTokens));
    }

    /// <summary>
    /// llama.cpp keeps an output per sequence within a batch's outputs: a context whose batch (its size, here) is
    /// smaller than the requests it admits used to stop the process at its first decode.
    /// </summary>
    [Fact]
    public void A_context_smaller_than_its_admitted_requests_takes_as_many_at_once_as_its_batch_holds()
    {
        using var context = fixture.NewScheduler(size: 8, sequences: 9);

        var outcome = Generate(context, fixture.Model.Tokenize("hello", addSpecial: true, parseSpecial: false), Greedy(4), _ => { }, CancellationToken.None);

        Assert.Equal(8, context.MaxSequences);
        Assert.Equal(GenerationStatus.Completed, outcome.Status);
    }
}
