namespace LlmRouter.Abstractions.Invocations;

/// <summary>Which groups of a breakdown come first.</summary>
public enum UsageOrder
{
    Requests,
    Cost,
}
