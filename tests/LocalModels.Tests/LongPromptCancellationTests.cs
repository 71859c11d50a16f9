using System.Text;
using LlmRouter.LocalModels.Engine;
using static LlmRouter.LocalModels.Tests.GenerationTests;

namespace LlmRouter.LocalModels.Tests;

/// <summary>
/// Cancelling a request while llama.cpp evaluates a piece of its long prompt: the abort callback stops that decode
/// at the next operation, instead of after the piece. The cancellation happens mid-decode from the callback's own
/// consultation, so the tests count llama.cpp's consultations rather than time anything.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class LongPromptCancellationTests(TinyModelFixture fixture)
{
    private const int Piece = 1000;

    /// <summary>About 4,000 tokens: four pieces of <see cref="Piece"/>.</summary>
    private int[] LongPrompt(int pairs = 1995) =>
        fixture.Model.Tokenize(string.Join(' ', Enumerable.Repeat("hello world", pairs)), addSpecial: true, parseSpecial: false);

    /// <summary>How many times llama.cpp consults the callback while it evaluates one full piece.</summary>
    private long ChecksPerPiece(int[] prompt)
    {
        using var context = fixture.NewScheduler(size: 4096, batchSize: Piece);
        context.Add(prompt, Greedy(4), _ => { }, _ => { }, CancellationToken.None);
        context.Step();
        Assert.Equal(Piece, context.UsedCells);
        return context.Abort.Checks;
    }

    [Fact]
    public void Cancelling_a_long_prompt_stops_the_piece_being_evaluated_at_the_next_operation()
    {
        var prompt = LongPrompt();
        Assert.InRange(prompt.Length, 3 * Piece + 1, 4 * Piece);
        var checksPerPiece = ChecksPerPiece(prompt);
        using var context = fixture.NewScheduler(size: 4096, batchSize: Piece);
        using var cancel = new CancellationTokenSource();
        GenerationOutcome? outcome = null;
        context.Add(prompt, Greedy(4), _ => { }, o => outcome = o, cancel.Token);
        context.Step();
        Assert.Equal((Piece, checksPerPiece), (context.UsedCells, context.Abort.Checks));

        // Cancelled at llama.cpp's third consultation while it evaluates the second piece.
        context.Abort.Consulted = () =>
        {
            if (context.Abort.Checks == checksPerPiece + 3)
            {
                cancel.Cancel();
            }
        };
        context.Step();

        // That decode stopped there (a full piece consults llama.cpp checksPerPiece times), the request ended in the
        // same step, and both pieces' cells are free.
        Assert.Equal(3, context.Abort.Checks - checksPerPiece);
        Assert.InRange(checksPerPiece, 10, long.MaxValue);
        Assert.Equal((GenerationStatus.Cancelled, 0), (outcome?.Status, outcome?.CompletionTokens));
        Assert.Equal(0, context.UsedCells);
        Assert.True(context.IsIdle);
        // The context stays usable.
        context.Abort.Consulted = null;
        Assert.Equal(GenerationStatus.Completed, Generate(context, fixture.ChatPrompt("hello"), Greedy(4), _ => { }, CancellationToken.None).Status);
    }

    [Fact]
    public void Requests_generating_beside_a_cancelled_long_prompt_redo_their_token_and_match_their_output_alone()
    {
        string[] users = ["hello", "the world, the lion"];
        var alone = users.Select(u =>
        {
            using var single = fixture.NewScheduler(size: 4096, batchSize: Piece);
            var text = new StringBuilder();
            Generate(single, fixture.ChatPrompt(u), Greedy(30), piece => text.Append(piece), CancellationToken.None);
            return text.ToString();
        }).ToArray();
        using var context = fixture.NewScheduler(size: 4096, sequences: 3, batchSize: Piece);
        var texts = users.Select(_ => new StringBuilder()).ToArray();
        var outcomes = new GenerationOutcome?[3];
        for (var i = 0; i < users.Length; i++)
        {
            var index = i;
            context.Add(fixture.ChatPrompt(users[i]), Greedy(30), piece => texts[index].Append(piece), o => outcomes[index] = o, CancellationToken.None);
        }
        for (var i = 0; i < 5; i++)
        {
            context.Step();
        }
        var cellsBefore = context.UsedCells;
        using var cancel = new CancellationTokenSource();
        context.Add(LongPrompt(1000), Greedy(4), _ => { }, o => outcomes[2] = o, cancel.Token);
        var checksBefore = context.Abort.Checks;
        context.Abort.Consulted = () =>
        {
            if (context.Abort.Checks == checksBefore + 3)
            {
                cancel.Cancel();
            }
        };

        // The batch holds the two generating tokens and a piece of the long prompt: the cancelled prompt holds most
        // of it, so the decode stops, and the two others' tokens are evaluated again at the next step.
        context.Step();

        Assert.Equal(GenerationStatus.Cancelled, outcomes[2]?.Status);
        Assert.Equal(3, context.Abort.Checks - checksBefore);
        Assert.Equal((2, cellsBefore), (context.Active, context.UsedCells));
        Assert.Null(outcomes[0]);
        context.Abort.Consulted = null;
        while (!context.IsIdle)
        {
            context.Step();
        }
        for (var i = 0; i < users.Length; i++)
        {
            Assert.Equal((GenerationStatus.Completed, 30), (outcomes[i]!.Status, outcomes[i]!.CompletionTokens));
            Assert.Equal(alone[i], texts[i].ToString());
        }
    }

    [Fact]
    public void A_cancelled_token_among_a_wider_batch_does_not_stop_the_decode()
    {
        using var context = fixture.NewScheduler(sequences: 4);
        using var cancel = new CancellationTokenSource();
        var outcomes = new GenerationOutcome?[4];
        string[] users = ["hello", "hello world", "the world, the lion", "你好 42 tea"];
        for (var i = 0; i < users.Length; i++)
        {
            var index = i;
            context.Add(fixture.ChatPrompt(users[i]), Greedy(20), _ => { }, o => outcomes[index] = o, index == 1 ? cancel.Token : CancellationToken.None);
        }
        context.Step();
        context.Step();
        var checksBefore = context.Abort.Checks;
        context.Step();
        var checksPerStep = context.Abort.Checks - checksBefore;
        var cellsBefore = context.UsedCells;
        context.Abort.Consulted = () =>
        {
            if (context.Abort.Checks == checksBefore + checksPerStep + 3)
            {
                cancel.Cancel();
            }
        };

        context.Step();

        // One token of four: the decode ran to its end, all four tokens are in memory, and the cancelled request
        // leaves at the next step.
        Assert.Equal(2 * checksPerStep, context.Abort.Checks - checksBefore);
        Assert.Equal(cellsBefore + 4, context.UsedCells);
        Assert.Null(outcomes[1]);
        context.Abort.Consulted = null;
        context.Step();
        Assert.Equal(GenerationStatus.Cancelled, outcomes[1]?.Status);
        Assert.Equal(3, context.Active);
    }
}
