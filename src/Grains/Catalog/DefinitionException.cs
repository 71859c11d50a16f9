namespace LlmRouter.Grains.Catalog;

/// <summary>A provider or model definition that does not hold together; <see cref="Param"/> names the field.</summary>
public sealed class DefinitionException : Exception
{
    public DefinitionException()
    {
    }

    public DefinitionException(string message)
        : base(message)
    {
    }

    public DefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DefinitionException(string param, string message)
        : base(message) => Param = param;

    public string? Param { get; }
}
