namespace LlmRouter.LocalModels.Placement;

/// <summary>No live <c>gpu</c> silo hosts the local model a grain call names.</summary>
[GenerateSerializer, Alias("no-gpu-host")]
public sealed class NoGpuHostException : Exception
{
    public NoGpuHostException()
    {
    }

    public NoGpuHostException(string modelId)
        : base($"no live GPU node hosts local model '{modelId}'")
    {
    }

    public NoGpuHostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
