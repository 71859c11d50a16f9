using System.Diagnostics.CodeAnalysis;

namespace LlmRouter.Api.Json;

/// <summary>
/// One invocation as GET /monitor/invocations/{id} shows it: the list fields plus the request sent upstream, the
/// response (the assembled text for streams) and the upstream's raw answer when it differs.
/// </summary>
public sealed record InvocationDetailView : InvocationView
{
    public InvocationDetailView()
    {
    }

    [SetsRequiredMembers]
    public InvocationDetailView(InvocationView summary)
        : base(summary)
    {
    }

    public string? Request { get; init; }
    public string? Response { get; init; }
    public string? Raw { get; init; }

    /// <summary>
    /// Every attempt of the client call this one belongs to, oldest first and this one included, when the call fell
    /// back from one model to another (the last is the one that answered the client); null for a call with one attempt.
    /// </summary>
    public IReadOnlyList<CallAttemptView>? CallAttempts { get; init; }
}
