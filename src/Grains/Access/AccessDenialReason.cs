namespace LlmRouter.Grains.Access;

/// <summary>Why a key's policy refused a call.</summary>
public enum AccessDenialReason
{
    ModelNotAllowed,
    ProviderNotAllowed,

    /// <summary>A limited parameter is not a number, so it cannot be clamped.</summary>
    InvalidParameter,

    /// <summary>A parameter that raises the price of a call, which only admin keys may set.</summary>
    ParameterNotAllowed,
}
