namespace LlmRouter.Abstractions.Limits;

/// <summary>The grains that keep usage counters.</summary>
public enum UsageScope
{
    Model,
    ApiKey,
    Session,
}
