using LlmRouter.Abstractions.Access;

namespace LlmRouter.Api.Auth.Keys;

/// <summary>The result of creating, changing or deleting a key; <see cref="Secret"/> is set only on creation.</summary>
public sealed record ApiKeyOutcome
{
    public ApiKeyRecord? Key { get; init; }
    public string? Secret { get; init; }
    public ApiKeyFailure Failure { get; init; }
    public string? Message { get; init; }

    /// <summary>The request field the failure is about, when there is one.</summary>
    public string? Param { get; init; }

    public static ApiKeyOutcome Fail(ApiKeyFailure failure, string message, string? param = null) =>
        new() { Failure = failure, Message = message, Param = param };
}
