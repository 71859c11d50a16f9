namespace LlmRouter.Silo;

/// <summary>The store named by the configuration cannot be opened.</summary>
public sealed class StorageStartupException : Exception
{
    public StorageStartupException()
    {
    }

    public StorageStartupException(string message)
        : base(message)
    {
    }

    public StorageStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
