using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// llama.cpp's abort callback on one context. llama.cpp consults it between the operations of a decode; it stops the
/// decode once the requests cancelled meanwhile hold at least half of the batch's tokens (a long prompt's piece, or
/// most of the batch), so a cancelled prompt stops within its piece instead of after it. When only a few generating
/// tokens of a wider batch are cancelled the decode goes on: stopping it would throw away the others' work.
/// </summary>
internal sealed unsafe class DecodeAbort : IDisposable
{
    private readonly SafeLLamaContextHandle _context;
    private GCHandle _self;
    private IReadOnlyList<GenerationSequence> _members = [];
    private int _tokens;

    public DecodeAbort(SafeLLamaContextHandle context)
    {
        _context = context;
        _self = GCHandle.Alloc(this);
        delegate* unmanaged[Cdecl]<IntPtr, byte> callback = &ShouldAbort;
        NativeApi.llama_set_abort_callback(context, (IntPtr)callback, GCHandle.ToIntPtr(_self));
    }

    /// <summary>How many times llama.cpp consulted the callback (once per operation of a decode's graph).</summary>
    public long Checks { get; private set; }

    /// <summary>Runs after each consultation, on the decoding thread (tests cancel a request here, mid-decode).</summary>
    internal Action? Consulted { get; set; }

    /// <summary>Decodes <paramref name="batch"/>, whose tokens belong to <paramref name="members"/>; <see cref="DecodeResult.ComputeAborted"/> when stopped.</summary>
    public DecodeResult Decode(LLamaBatch batch, IReadOnlyList<GenerationSequence> members)
    {
        (_members, _tokens) = (members, batch.TokenCount);
        try
        {
            return _context.Decode(batch);
        }
        finally
        {
            (_members, _tokens) = ([], 0);
        }
    }

    private bool CancelledHoldHalf()
    {
        Checks++;
        Consulted?.Invoke();
        var cancelled = 0;
        foreach (var member in _members)
        {
            if (member.CancellationToken.IsCancellationRequested)
            {
                cancelled += member.Queued;
            }
        }
        return _tokens > 0 && 2 * cancelled >= _tokens;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte ShouldAbort(IntPtr self)
    {
        try
        {
            return GCHandle.FromIntPtr(self).Target is DecodeAbort abort && abort.CancelledHoldHalf() ? (byte)1 : (byte)0;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // An exception must not cross into llama.cpp; the decode goes on and the step sees the cancellation.
            return 0;
        }
    }

    /// <summary>Frees the handle llama.cpp holds; call after the context is freed.</summary>
    public void Dispose()
    {
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }
}
