using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using LlmRouter.LocalModels.Hosting;

namespace LlmRouter.LocalModels.Grains;

/// <summary>
/// Serves a local model on this silo (what a <see cref="LocalModelGrain"/> activation drives): admits the call against the model's queue bound, formats the conversation
/// with the model's chat template, and runs it on the model's worker; streamed text is handed on as OpenAI chunks
/// while it is generated. A client that leaves cancels its generation, which frees the model for the next call.
/// </summary>
internal sealed class LocalChatServer(LocalModelActivation activation, string nodeId, TimeProvider time)
{
    public async ValueTask<UpstreamChatResult> CompleteAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var (prepared, error) = await PrepareAsync(body, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return UpstreamChatResult.Failed(error);
        }
        var (prompt, call) = prepared!.Value;
        var text = new StringBuilder();
        var done = new TaskCompletionSource<GenerationOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        activation.Enqueue(new GenerationJob(prompt, Options(call, prompt), piece => text.Append(piece), outcome => done.TrySetResult(outcome), cancellationToken));
        GenerationOutcome outcome;
        try
        {
            outcome = await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The job sees the same token: it stops (or is skipped when its turn comes) and gives its slot back.
            return UpstreamChatResult.Failed(LocalErrors.Cancelled());
        }
        switch (outcome.Status)
        {
            case GenerationStatus.Cancelled:
                return UpstreamChatResult.Failed(LocalErrors.Cancelled());
            case GenerationStatus.Failed:
                return UpstreamChatResult.Failed(LocalErrors.Failed(activation.ModelId, outcome.Error));
        }
        var json = new CompletionJson(activation.Model.UpstreamName, time.GetUtcNow().ToUnixTimeSeconds());
        return new UpstreamChatResult
        {
            Body = json.Completion(text.ToString(), outcome),
            Usage = new TokenUsage(outcome.PromptTokens, outcome.CompletionTokens),
            FinishReason = outcome.FinishReason,
        };
    }

    public async ValueTask<UpstreamStream> StreamAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var (prepared, error) = await PrepareAsync(body, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return UpstreamStream.Failed(error);
        }
        var (prompt, call) = prepared!.Value;
        var json = new CompletionJson(activation.Model.UpstreamName, time.GetUtcNow().ToUnixTimeSeconds());
        // Unbounded: the model's worker decodes every request of its batch in one step, so it must never wait for one
        // slow reader. What a reader leaves unread is bounded by the request's max_tokens (at most the context size).
        var channel = Channel.CreateUnbounded<ChatStreamChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = cancel.Token;
        var writer = channel.Writer;
        writer.TryWrite(new ChatStreamChunk { Json = json.RoleChunk(call.IncludeUsage) });

        void Write(ChatStreamChunk chunk) => writer.TryWrite(chunk);

        void Completed(GenerationOutcome outcome)
        {
            try
            {
                switch (outcome.Status)
                {
                    case GenerationStatus.Completed:
                        Write(new ChatStreamChunk { Json = json.FinishChunk(outcome.FinishReason, call.IncludeUsage), FinishReason = outcome.FinishReason });
                        if (call.IncludeUsage)
                        {
                            Write(new ChatStreamChunk
                            {
                                Json = json.UsageChunk(outcome),
                                Usage = new TokenUsage(outcome.PromptTokens, outcome.CompletionTokens),
                                IsUsageOnly = true,
                            });
                        }
                        break;
                    case GenerationStatus.Cancelled:
                        writer.TryWrite(new ChatStreamChunk { Error = LocalErrors.Cancelled() });
                        break;
                    default:
                        Write(new ChatStreamChunk { Error = LocalErrors.Failed(activation.ModelId, outcome.Error) });
                        break;
                }
            }
            finally
            {
                writer.TryComplete();
            }
        }

        activation.Enqueue(new GenerationJob(
            prompt, Options(call, prompt),
            piece => Write(new ChatStreamChunk { Json = json.ContentChunk(piece, call.IncludeUsage), ContentDelta = piece }),
            Completed, token));
        var released = 0;
        return new UpstreamStream(ReadAsync(channel.Reader, token), () =>
        {
            // Stops the generation if it is still running (the reader left early); the worker only sees a cancelled token afterwards.
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                cancel.Cancel();
                cancel.Dispose();
            }
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// Takes an admission slot, waits for the model to be loaded, then turns the body into prompt tokens. On
    /// success the slot stays taken (the worker gives it back); on any error it is given back here.
    /// </summary>
    private async ValueTask<((int[] Prompt, LocalChatCall Call)? Prepared, UpstreamError? Error)> PrepareAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var id = activation.ModelId;
        if (activation.Settings.Embeddings)
        {
            return (null, LocalErrors.Invalid("model", $"Local model '{id}' is an embedding model: call /v1/embeddings."));
        }
        var (model, refused) = await LocalAdmission.ReserveAsync(activation, nodeId, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return (null, refused);
        }
        var admitted = false;
        try
        {
            var (call, error) = LocalChatParser.Parse(body, model!.VocabSize);
            if (error is not null)
            {
                return (null, error);
            }
            // llama.cpp's template engine knows common templates by their markers; anything else falls back to ChatML.
            var text = model.ApplyChatTemplate(call!.Turns) ?? model.ApplyChatTemplate(call.Turns, "chatml")!;
            var prompt = model.Tokenize(text, addSpecial: true, parseSpecial: true);
            if (prompt.Length >= activation.ContextSize)
            {
                return (null, LocalErrors.ContextExceeded(id, prompt.Length, activation.ContextSize));
            }
            admitted = true;
            return ((prompt, call), null);
        }
        finally
        {
            if (!admitted)
            {
                activation.Release();
            }
        }
    }

    private GenerationOptions Options(LocalChatCall call, int[] prompt) => new()
    {
        MaxTokens = call.MaxTokens ?? Math.Max(1, activation.ContextSize - prompt.Length),
        Sampling = call.Sampling,
        Stop = call.Stop,
    };

    private static async IAsyncEnumerable<ChatStreamChunk> ReadAsync(ChannelReader<ChatStreamChunk> reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var chunk))
            {
                yield return chunk;
                if (chunk.Error is not null)
                {
                    yield break;
                }
            }
        }
    }
}
