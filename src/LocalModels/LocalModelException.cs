namespace LlmRouter.LocalModels;

/// <summary>llama.cpp or a local model could not be loaded or used.</summary>
public sealed class LocalModelException : Exception
{
    public LocalModelException()
    {
    }

    public LocalModelException(string message)
        : base(message)
    {
    }

    public LocalModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
