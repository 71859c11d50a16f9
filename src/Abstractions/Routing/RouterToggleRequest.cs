namespace LlmRouter.Abstractions.Routing;

/// <summary>A request to change the router toggle, with the timing rules that apply to it.</summary>
public sealed record RouterToggleRequest
{
    public required bool Value { get; init; }
    public string? Reason { get; init; }
    public string? ChangedBy { get; init; }
    public string? Node { get; init; }

    /// <summary>The requester's clock; a store with a clock of its own (a database server) may use that instead.</summary>
    public required DateTimeOffset Now { get; init; }

    public required TimeSpan Delay { get; init; }
    public required TimeSpan Cooldown { get; init; }

    /// <summary>The state in force when the toggle was never changed (router.toml's <c>[routing] enabled</c>).</summary>
    public required bool InitialValue { get; init; }
}
