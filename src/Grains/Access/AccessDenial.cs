namespace LlmRouter.Grains.Access;

/// <summary>A refusal by a key's policy, with the message the client sees and the request field it is about.</summary>
public sealed record AccessDenial(AccessDenialReason Reason, string Message, string? Param = null);
