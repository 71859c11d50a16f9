using System.Runtime.InteropServices;

namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// One request inside a <see cref="LlamaScheduler"/>: a sequence of the shared context. It feeds its prompt (past the
/// prefix its memory already holds), then one sampled token per decode step, turning tokens into UTF-8 text (a
/// character split over tokens waits for its last byte) and handing each piece of text on as soon as no stop
/// sequence can still claim it.
/// </summary>
internal sealed class GenerationSequence : IDisposable
{
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StopSequenceFilter _filter;
    private readonly List<byte> _bytes = new(16);
    private readonly Action<string> _onText;
    private readonly Action<GenerationOutcome> _onEnded;
    private readonly LlamaModel _model;
    private char[] _chars = new char[64];
    private LlamaSampler? _sampler;

    public GenerationSequence(LlamaModel model, int[] prompt, GenerationOptions options, Action<string> onText, Action<GenerationOutcome> onEnded, CancellationToken cancellationToken)
    {
        if (prompt.Length == 0)
        {
            throw new ArgumentException("the prompt has no tokens", nameof(prompt));
        }
        _model = model;
        Prompt = prompt;
        Options = options;
        _onText = onText;
        _onEnded = onEnded;
        CancellationToken = cancellationToken;
        _filter = new StopSequenceFilter(options.Stop);
    }

    public int[] Prompt { get; }
    public GenerationOptions Options { get; }
    public CancellationToken CancellationToken { get; }

    /// <summary>The sequence id in the context, once the sequence has joined.</summary>
    public LLamaSeqId Id { get; private set; }

    /// <summary>Tokens whose keys and values the memory holds for this sequence, in position order.</summary>
    public List<int> Evaluated { get; private set; } = [];

    public int Reused { get; private set; }
    public int Completion { get; private set; }

    /// <summary>A sampled token still to be evaluated, or null while the prompt is being fed.</summary>
    public int? Pending { get; private set; }

    /// <summary>Where this sequence's logits are in the batch being decoded, or -1 when it asked for none.</summary>
    public int OutputIndex { get; set; } = -1;

    /// <summary>Tokens this sequence put into the batch being decoded.</summary>
    public int Queued { get; set; }

    public bool InPrompt => Pending is null;
    public int PromptLeft => Prompt.Length - Evaluated.Count;
    public bool Ended { get; private set; }

    /// <summary>Takes <paramref name="id"/>, whose memory holds <paramref name="cached"/>, of which the first <paramref name="reused"/> tokens match the prompt.</summary>
    public void Join(LLamaSeqId id, List<int> cached, int reused)
    {
        Id = id;
        cached.RemoveRange(reused, cached.Count - reused);
        Evaluated = cached;
        Reused = reused;
        _sampler = LlamaSampler.Create(_model, Options.Sampling);
    }

    /// <summary>Records that the tokens queued in the decoded batch are now in memory.</summary>
    public void Committed(ReadOnlySpan<int> tokens)
    {
        foreach (var token in tokens)
        {
            Evaluated.Add(token);
        }
        Pending = null;
    }

    /// <summary>
    /// Samples the next token from this sequence's logits in the decoded batch; true when the generation ended
    /// (end of turn, a stop sequence, max_tokens), false when the token waits to be evaluated in the next step.
    /// </summary>
    public bool Sample(SafeLLamaContextHandle context)
    {
        var token = _sampler!.Sample(context, OutputIndex);
        if (_model.IsEndOfGeneration(token))
        {
            Complete("stop");
            return true;
        }
        Completion++;
        _bytes.Clear();
        _model.AppendPiece(token, _bytes);
        if (Emit(Decode(flush: false)))
        {
            Complete("stop");
            return true;
        }
        if (Completion >= Options.MaxTokens)
        {
            Complete("length");
            return true;
        }
        Pending = token;
        return false;
    }

    /// <summary>Ends the generation normally: flushes held-back text and reports the outcome.</summary>
    public void Complete(string finishReason)
    {
        if (!_filter.Stopped)
        {
            _bytes.Clear();
            Emit(Decode(flush: true));
            var rest = _filter.Flush();
            if (rest.Length > 0)
            {
                _onText(rest);
            }
        }
        End(GenerationStatus.Completed, finishReason: finishReason);
    }

    /// <summary>Ends the generation as cancelled or failed (or completed when nothing is left to flush).</summary>
    public void End(GenerationStatus status, string? error = null, string finishReason = "stop")
    {
        if (Ended)
        {
            return;
        }
        Ended = true;
        _onEnded(new GenerationOutcome
        {
            Status = status,
            FinishReason = finishReason,
            PromptTokens = Prompt.Length,
            CompletionTokens = Completion,
            ReusedPromptTokens = Reused,
            Error = error,
        });
    }

    /// <summary>Ends the sequence with <paramref name="end"/> (as failed when its last text cannot be delivered), then frees it.</summary>
    public void Finish(Action<GenerationSequence> end)
    {
        try
        {
            end(this);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            End(GenerationStatus.Failed, exception.Message);
        }
        finally
        {
            Dispose();
        }
    }

    private bool Emit(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }
        var visible = _filter.Push(text);
        if (visible.Length > 0)
        {
            _onText(visible);
        }
        return _filter.Stopped;
    }

    private string Decode(bool flush)
    {
        var span = CollectionsMarshal.AsSpan(_bytes);
        var needed = _decoder.GetCharCount(span, flush);
        if (needed > _chars.Length)
        {
            _chars = new char[needed * 2];
        }
        var count = _decoder.GetChars(span, _chars, flush);
        return new string(_chars, 0, count);
    }

    public void Dispose() => _sampler?.Dispose();
}
