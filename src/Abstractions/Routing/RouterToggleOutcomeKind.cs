namespace LlmRouter.Abstractions.Routing;

/// <summary>What became of a toggle request.</summary>
public enum RouterToggleOutcomeKind
{
    /// <summary>Recorded; it takes effect at the state's <c>EffectiveAt</c>.</summary>
    Accepted,

    /// <summary>The toggle already heads for the requested value: nothing was recorded.</summary>
    Unchanged,

    /// <summary>Refused: the previous change is too recent.</summary>
    CoolingDown,
}
