using System.Text;

namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// Runs one generation on a context: evaluates the prompt (reusing the memory's common prefix), then samples
/// token by token, turning tokens into UTF-8 text (a character split over tokens waits for its last byte) and
/// handing each piece of text to <paramref name="onText"/> as soon as no stop sequence can still claim it.
/// Runs on the caller's thread; cancellation is checked between tokens and aborts a running decode.
/// </summary>
public static class LlamaGenerator
{
    public static GenerationOutcome Generate(
        LlamaContext context, ReadOnlySpan<int> prompt, GenerationOptions options, Action<string> onText, CancellationToken cancellationToken)
    {
        var model = context.Model;
        context.ResetAbort();
        using var abort = cancellationToken.Register(context.RequestAbort);
        if (cancellationToken.IsCancellationRequested)
        {
            return Ended(GenerationStatus.Cancelled, prompt.Length, 0, 0);
        }

        var status = context.Ingest(prompt, out var reused);
        if (status != DecodeStatus.Ok)
        {
            return status == DecodeStatus.ContextFull
                ? Ended(GenerationStatus.Failed, prompt.Length, 0, reused, "the prompt does not fit in the model's context")
                : Ended(Failed(status, cancellationToken), prompt.Length, 0, reused, status == DecodeStatus.Failed ? "llama.cpp failed to evaluate the prompt" : null);
        }

        using var sampler = LlamaSampler.Create(model, options.Sampling);
        var decoder = new UTF8Encoding(false, false).GetDecoder();
        var filter = new StopSequenceFilter(options.Stop);
        var bytes = new List<byte>(16);
        var chars = new char[64];
        var completion = 0;
        var finish = "length";
        try
        {
            while (completion < options.MaxTokens)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return Ended(GenerationStatus.Cancelled, prompt.Length, completion, reused);
                }
                var token = context.Sample(sampler);
                if (model.IsEndOfGeneration(token))
                {
                    finish = "stop";
                    break;
                }
                completion++;
                bytes.Clear();
                model.AppendPiece(token, bytes);
                var text = Decode(decoder, bytes, ref chars, flush: false);
                if (Emit(filter, text, onText))
                {
                    finish = "stop";
                    break;
                }
                if (completion == options.MaxTokens)
                {
                    break;
                }
                status = context.Append(token);
                if (status == DecodeStatus.ContextFull)
                {
                    break;
                }
                if (status != DecodeStatus.Ok)
                {
                    return Ended(Failed(status, cancellationToken), prompt.Length, completion, reused,
                        status == DecodeStatus.Failed ? "llama.cpp failed to evaluate a generated token" : null);
                }
            }
            if (!filter.Stopped)
            {
                Emit(filter, Decode(decoder, [], ref chars, flush: true), onText);
                var rest = filter.Flush();
                if (rest.Length > 0)
                {
                    onText(rest);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Ended(GenerationStatus.Cancelled, prompt.Length, completion, reused);
        }
        return Ended(GenerationStatus.Completed, prompt.Length, completion, reused) with { FinishReason = finish };
    }

    private static bool Emit(StopSequenceFilter filter, string text, Action<string> onText)
    {
        if (text.Length == 0)
        {
            return false;
        }
        var visible = filter.Push(text);
        if (visible.Length > 0)
        {
            onText(visible);
        }
        return filter.Stopped;
    }

    private static string Decode(Decoder decoder, List<byte> bytes, ref char[] chars, bool flush)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes);
        var needed = decoder.GetCharCount(span, flush);
        if (needed > chars.Length)
        {
            chars = new char[needed * 2];
        }
        var count = decoder.GetChars(span, chars, flush);
        return new string(chars, 0, count);
    }

    private static GenerationStatus Failed(DecodeStatus status, CancellationToken cancellationToken) =>
        status == DecodeStatus.Aborted && cancellationToken.IsCancellationRequested ? GenerationStatus.Cancelled : GenerationStatus.Failed;

    private static GenerationOutcome Ended(GenerationStatus status, int prompt, int completion, int reused, string? error = null) => new()
    {
        Status = status,
        PromptTokens = prompt,
        CompletionTokens = completion,
        ReusedPromptTokens = reused,
        Error = error,
    };
}
