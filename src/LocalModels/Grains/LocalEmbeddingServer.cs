using LlmRouter.Abstractions.LocalModels;
using LlmRouter.LocalModels.Hosting;

namespace LlmRouter.LocalModels.Grains;

/// <summary>
/// Serves embeddings of a local embedding model on this silo: checks the inputs, admits the call against the model's
/// queue bound, tokenizes texts (with the model's special tokens, such as BOS) and runs the call on the model's
/// worker, which batches its inputs with those of other calls. A caller that leaves cancels its call.
/// </summary>
internal sealed class LocalEmbeddingServer(LocalModelActivation activation, string nodeId)
{
    /// <summary>The most inputs one call may carry, as OpenAI allows.</summary>
    public const int MaxInputs = 2048;

    public async ValueTask<LocalEmbeddingAnswer> EmbedAsync(LocalEmbeddingRequest request, CancellationToken cancellationToken)
    {
        var id = activation.ModelId;
        if (!activation.Settings.Embeddings)
        {
            return LocalEmbeddingAnswer.Failed(LocalErrors.Invalid("model",
                $"Local model '{id}' does not compute embeddings (its [models.config] would say supports_embeddings = true)."));
        }
        if (Shape(request) is { } invalid)
        {
            return LocalEmbeddingAnswer.Failed(invalid);
        }
        var (model, refused) = await LocalAdmission.ReserveAsync(activation, nodeId, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return LocalEmbeddingAnswer.Failed(refused);
        }
        var (inputs, error) = Tokens(request, model!);
        if (error is not null)
        {
            activation.Release();
            return LocalEmbeddingAnswer.Failed(error);
        }
        var done = new TaskCompletionSource<EmbeddingOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        activation.Enqueue(new EmbeddingJob(inputs!, outcome => done.TrySetResult(outcome), cancellationToken));
        EmbeddingOutcome outcome;
        try
        {
            outcome = await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The job sees the same token: the worker drops it at its next step and gives its slot back.
            return LocalEmbeddingAnswer.Failed(LocalErrors.Cancelled());
        }
        return outcome.Status switch
        {
            GenerationStatus.Completed => new LocalEmbeddingAnswer { Vectors = [.. outcome.Vectors], Usage = new TokenUsage(outcome.PromptTokens, 0) },
            GenerationStatus.Cancelled => LocalEmbeddingAnswer.Failed(LocalErrors.Cancelled()),
            _ => LocalEmbeddingAnswer.Failed(LocalErrors.Failed(id, outcome.Error)),
        };
    }

    /// <summary>What is wrong with the request's form, before any slot is taken; null when nothing is.</summary>
    private static UpstreamError? Shape(LocalEmbeddingRequest request)
    {
        var count = (request.Texts?.Length ?? 0) + (request.Tokens?.Length ?? 0);
        if ((request.Texts is null) == (request.Tokens is null) || count == 0)
        {
            return LocalErrors.Invalid("input", "'input' must be a non-empty string, array of strings or array of token arrays.");
        }
        if (count > MaxInputs)
        {
            return LocalErrors.Invalid("input", $"'input' holds {count} items; at most {MaxInputs} are allowed.");
        }
        if (request.Texts?.Any(string.IsNullOrEmpty) == true || request.Tokens?.Any(t => t is not { Length: > 0 }) == true)
        {
            return LocalErrors.Invalid("input", "'input' must not contain an empty string or an empty token array.");
        }
        return null;
    }

    /// <summary>Every input as tokens, each within the model's vocabulary and context, once the model is loaded.</summary>
    private (int[][]? Tokens, UpstreamError? Error) Tokens(LocalEmbeddingRequest request, LlamaModel model)
    {
        if (request.Dimensions is { } dimensions && dimensions != activation.Dimensions)
        {
            return (null, LocalErrors.Invalid("dimensions",
                $"Local model '{activation.ModelId}' returns vectors of {activation.Dimensions} dimensions; 'dimensions' cannot change that."));
        }
        var inputs = request.Texts is { } texts
            ? Array.ConvertAll(texts, text => model.Tokenize(text, addSpecial: true, parseSpecial: false))
            : request.Tokens!;
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].Length > activation.ContextSize)
            {
                return (null, LocalErrors.InputTooLong(activation.ModelId, i, inputs[i].Length, activation.ContextSize));
            }
            var outside = Array.FindIndex(inputs[i], t => t < 0 || t >= model.VocabSize);
            if (outside >= 0)
            {
                return (null, LocalErrors.Invalid("input", $"Input {i} holds token {inputs[i][outside]}, outside the model's vocabulary of {model.VocabSize} tokens."));
            }
        }
        return (inputs, null);
    }
}
