namespace LlmRouter.Abstractions.Routing;

/// <summary>A request to change the router toggle, with the timing rules that apply to it.</summary>
[GenerateSerializer, Immutable, Alias("router-toggle-request")]
public sealed record RouterToggleRequest
{
    [Id(0)] public required bool Value { get; init; }
    [Id(1)] public string? Reason { get; init; }
    [Id(2)] public string? ChangedBy { get; init; }
    [Id(3)] public string? Node { get; init; }

    /// <summary>The requester's clock, by which the toggle grain times the change (its cooldown and delay).</summary>
    [Id(4)] public required DateTimeOffset Now { get; init; }

    [Id(5)] public required TimeSpan Delay { get; init; }
    [Id(6)] public required TimeSpan Cooldown { get; init; }

    /// <summary>The state in force when the toggle was never changed (router.toml's <c>[routing] enabled</c>).</summary>
    [Id(7)] public required bool InitialValue { get; init; }
}
