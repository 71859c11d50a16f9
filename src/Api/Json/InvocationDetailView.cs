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
}
