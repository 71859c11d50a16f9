namespace LlmRouter.Api.ClientFormats;

/// <summary>Where stream encoders put bytes; the invoker flushes after each chunk.</summary>
public interface IBufferWriterTarget
{
    void Write(ReadOnlySpan<byte> bytes);
}
