using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Abstractions.LocalModels;

/// <summary>An <see cref="UpstreamError"/> as it crosses the local-model grain's boundary.</summary>
[GenerateSerializer, Immutable, Alias("local-model-error")]
public sealed record LocalModelError
{
    [Id(0)] public required UpstreamErrorKind Kind { get; init; }
    [Id(1)] public required string Message { get; init; }
    [Id(2)] public int? Status { get; init; }
    [Id(3)] public string? RawBody { get; init; }
    [Id(4)] public TimeSpan? RetryAfter { get; init; }
    [Id(5)] public string? Code { get; init; }

    public static LocalModelError From(UpstreamError error) => new()
    {
        Kind = error.Kind,
        Message = error.Message,
        Status = error.Status,
        RawBody = error.RawBody,
        RetryAfter = error.RetryAfter,
        Code = error.Code,
    };

    public UpstreamError ToUpstream() => new(Kind, Message) { Status = Status, RawBody = RawBody, RetryAfter = RetryAfter, Code = Code };
}
