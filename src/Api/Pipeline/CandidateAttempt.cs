using LlmRouter.Abstractions.Grains;
using LlmRouter.Api.Chat;
using LlmRouter.Grains.Routing;

namespace LlmRouter.Api.Pipeline;

/// <summary>
/// One try of a call with fallbacks: the invocation for the candidate at <see cref="Index"/>, and what decides whether a
/// failure of it moves on to the next candidate (see <see cref="FallbackPolicy"/>).
/// </summary>
public sealed class CandidateAttempt
{
    private readonly IReadOnlyList<ResolvedModel> _candidates;

    private CandidateAttempt(ChatInvocation invocation, IReadOnlyList<ResolvedModel> candidates, int index) =>
        (Invocation, _candidates, Index) = (invocation, candidates, index);

    /// <summary>The invocation of this try, its body naming this candidate's upstream model.</summary>
    public ChatInvocation Invocation { get; }

    public int Index { get; }

    /// <summary>
    /// The first try of <paramref name="invocation"/>; a call that may try several candidates gets an id its tries'
    /// records share.
    /// </summary>
    public static CandidateAttempt First(ChatInvocation invocation)
    {
        IReadOnlyList<ResolvedModel> candidates = invocation.Candidates.Count > 0 ? invocation.Candidates : [invocation.Model];
        var linked = candidates.Count > 1 ? invocation with { CallId = Guid.NewGuid().ToString("N") } : invocation;
        return new CandidateAttempt(linked, candidates, 0);
    }

    /// <summary>The try of <paramref name="next"/> after this one failed.</summary>
    public CandidateAttempt Then(ResolvedModel next)
    {
        Invocation.Body["model"] = next.Model.UpstreamName;
        return new CandidateAttempt(Invocation with { Model = next }, _candidates, Index + 1);
    }

    /// <summary>The candidate to try after this one failed with <paramref name="error"/>, or null when the failure is final.</summary>
    public ResolvedModel? NextAfter(UpstreamError error) =>
        Index + 1 < _candidates.Count && FallbackPolicy.ShouldFallBack(error) ? _candidates[Index + 1] : null;

    /// <summary>
    /// The admission's reservation goes with the request's last try only: it is settled once, against what was
    /// actually used; a try replaced by a fallback settles as a call that reserved nothing.
    /// </summary>
    public Reservation? Settled(ResolvedModel? next) => next is null ? Invocation.Reservation : null;

    /// <summary>The log's error text of a try, naming the fallback it gave way to.</summary>
    public static string? Describe(UpstreamError? error, ResolvedModel? next) =>
        error is null ? null : next is null ? error.Message : $"{error.Message} (fell back to {next.Id})";
}
