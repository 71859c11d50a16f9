namespace LlmRouter.Abstractions.Invocations;

/// <summary>What a breakdown or time series groups invocations by.</summary>
public enum UsageDimension
{
    Model,
    Provider,
    ApiKey,
}
