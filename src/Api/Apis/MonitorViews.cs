using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Apis;

/// <summary>How invocations and their aggregates are shown by the monitoring and cost APIs.</summary>
internal static class MonitorViews
{
    public static InvocationView Summary(InvocationRecord r) => new()
    {
        Id = r.Id,
        CreatedAt = r.CreatedAt,
        Node = r.Node,
        ApiKeyId = r.ApiKeyId,
        ApiKeyName = r.ApiKeyName,
        SessionId = r.SessionId,
        ClientFormat = r.ClientFormat,
        Endpoint = r.Endpoint,
        Provider = r.Provider,
        Model = r.Model,
        Group = r.Group,
        Rule = r.Rule,
        Status = InvocationStatusNames.ToName(r.Status),
        HttpStatus = r.HttpStatus,
        Error = r.Error,
        RefusedBy = r.RefusedBy,
        PromptTokens = r.PromptTokens,
        CompletionTokens = r.CompletionTokens,
        TotalTokens = r.TotalTokens,
        UsageEstimated = r.UsageEstimated,
        Cost = r.Cost,
        LatencyMs = r.LatencyMs,
        TimeToFirstTokenMs = r.TimeToFirstTokenMs,
        Stream = r.Stream,
        Attempts = r.Attempts,
    };

    public static InvocationDetailView Detail(InvocationRecord r, IReadOnlyList<InvocationRecord> attempts) => new(Summary(r))
    {
        Request = r.RequestBody,
        Response = r.ResponseBody,
        Raw = r.RawResponse,
        CallAttempts = attempts.Count > 1
            ? attempts.OrderBy(a => a.Id).Select(a => new CallAttemptView(a.Id, a.Provider, a.Model, InvocationStatusNames.ToName(a.Status), a.HttpStatus)).ToArray()
            : null,
    };

    public static UsageGroupView Group(UsageGroup group, UsageDimension dimension)
    {
        var t = group.Totals;
        return new UsageGroupView
        {
            Key = dimension switch
            {
                UsageDimension.Model => $"{group.Provider}/{group.Model}",
                UsageDimension.Provider => group.Provider,
                _ => group.ApiKeyName ?? group.ApiKeyId,
            },
            Provider = group.Provider,
            Model = group.Model,
            ApiKeyId = group.ApiKeyId,
            ApiKeyName = group.ApiKeyName,
            Requests = t.Requests,
            Errors = t.Errors,
            ClientClosed = t.ClientClosed,
            Rejected = t.Rejected,
            PromptTokens = t.PromptTokens,
            CompletionTokens = t.CompletionTokens,
            TotalTokens = t.TotalTokens,
            Cost = t.Cost,
            AvgLatencyMs = t.AvgLatencyMs ?? 0,
            ErrorRate = t.ErrorRate,
            RejectedRate = t.RejectedRate,
        };
    }

    public static IReadOnlyList<UsageGroupView> Groups(IReadOnlyList<UsageGroup> groups, UsageDimension dimension) =>
        groups.Select(g => Group(g, dimension)).ToArray();

    public static TimeBucketView Bucket(UsageBucket bucket, UsageDimension? dimension) => new()
    {
        Start = bucket.Start,
        Requests = bucket.Totals.Requests,
        Errors = bucket.Totals.Errors,
        Rejected = bucket.Totals.Rejected,
        PromptTokens = bucket.Totals.PromptTokens,
        CompletionTokens = bucket.Totals.CompletionTokens,
        TotalTokens = bucket.Totals.TotalTokens,
        Cost = bucket.Totals.Cost,
        Groups = dimension is { } d ? Groups(bucket.Groups, d) : [],
    };

    public static CostPeriodView Period(DateTimeOffset? start, UsageTotals t) =>
        new(start, t.Requests, t.PromptTokens, t.CompletionTokens, t.TotalTokens, t.Cost);
}
