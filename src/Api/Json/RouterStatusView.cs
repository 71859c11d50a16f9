namespace LlmRouter.Api.Json;

/// <summary>
/// GET /router/status: <c>enabled</c> is the state in force now; <c>value</c> the last requested one, in force from
/// <c>effective_at</c> (<c>pending</c> until then). Times are null while the toggle was never changed.
/// </summary>
public sealed record RouterStatusView(
    bool Enabled,
    bool Value,
    bool Pending,
    DateTimeOffset? EffectiveAt,
    DateTimeOffset? ChangedAt,
    string? Reason,
    string? ChangedBy,
    string? Node,
    DateTimeOffset? CooldownUntil,
    double ToggleDelaySeconds,
    double ToggleCooldownSeconds,
    long Version);
