using System.Globalization;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// The monitoring API of seeds 000/001: the invocation history and one invocation's detail, statistics over the
/// last hours, and a time series by hour, day, week or month grouped by model, provider or API key.
/// </summary>
public static class MonitorApi
{
    private const int MaxBuckets = 10_000;

    public static readonly IReadOnlyDictionary<string, TimeBucketSize> Granularities = new Dictionary<string, TimeBucketSize>(StringComparer.Ordinal)
    {
        ["hour"] = TimeBucketSize.Hour,
        ["day"] = TimeBucketSize.Day,
        ["week"] = TimeBucketSize.Week,
        ["month"] = TimeBucketSize.Month,
    };

    public static readonly IReadOnlyDictionary<string, UsageDimension?> Groupings = new Dictionary<string, UsageDimension?>(StringComparer.Ordinal)
    {
        ["model"] = UsageDimension.Model,
        ["provider"] = UsageDimension.Provider,
        ["api_key"] = UsageDimension.ApiKey,
    };

    /// <summary>Maps /monitor; the returned group is where access rules attach.</summary>
    public static RouteGroupBuilder MapMonitorApi(this IEndpointRouteBuilder app)
    {
        var monitor = app.MapGroup("/monitor");
        monitor.MapGet("/invocations", ListAsync);
        monitor.MapGet("/invocations/{id}", GetAsync);
        monitor.MapGet("/statistics", StatisticsAsync);
        monitor.MapGet("/time-series", TimeSeriesAsync);
        return monitor;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IInvocationLog log, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        var apiKey = MonitoringScope.ApiKeyFilter(request.HttpContext, q.Text("api_key"), out var refused);
        if (refused is not null)
        {
            return ErrorWriter.Result(refused);
        }
        var query = new InvocationQuery
        {
            Limit = q.Int("limit", 50, 1, 1000),
            Offset = q.Int("offset", 0, 0, int.MaxValue),
            BeforeId = q.Long("before_id", 1, long.MaxValue),
            Model = q.Text("model"),
            Provider = q.Text("provider"),
            Status = q.Status("status"),
            ApiKey = apiKey,
            ScopeApiKeyId = MonitoringScope.ApiKeyId(request.HttpContext),
            Start = q.Time("start"),
            End = q.Time("end"),
        };
        if (q.Error is { } error)
        {
            return ErrorWriter.Result(error);
        }
        var page = await log.ListAsync(query, cancellationToken).ConfigureAwait(false);
        var items = page.Items.Select(MonitorViews.Summary).ToArray();
        return TypedResults.Json(new InvocationListResponse(page.Total, query.Limit, query.Offset, items), ApiJsonContext.Default.InvocationListResponse);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IInvocationLog log, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return ErrorWriter.Result(ApiErrors.Invalid("id", "The invocation id must be a positive integer."));
        }
        // Another key's call is answered as if it did not exist, so ids reveal nothing about other keys' traffic.
        var scope = MonitoringScope.ApiKeyId(http);
        if (await log.GetAsync(number, cancellationToken).ConfigureAwait(false) is not { } record || scope is not null && record.ApiKeyId != scope)
        {
            return ErrorWriter.Result(new ApiError(404, "invalid_request_error", $"No invocation with id {number}.", "id", "not_found"));
        }
        var attempts = record.CallId is { } callId
            ? (await log.ListAsync(new InvocationQuery { CallId = callId, ScopeApiKeyId = scope, Limit = 100 }, cancellationToken).ConfigureAwait(false)).Items
            : [];
        return TypedResults.Json(MonitorViews.Detail(record, attempts), ApiJsonContext.Default.InvocationDetailView);
    }

    private static async Task<IResult> StatisticsAsync(HttpRequest request, IInvocationStatistics statistics, TimeProvider time, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        var hours = q.Int("time_range_hours", 24, 1, 24 * 366 * 10);
        var limit = q.Int("limit", 10, 1, 1000);
        if (q.Error is { } error)
        {
            return ErrorWriter.Result(error);
        }
        var now = time.GetUtcNow();
        var start = now.AddHours(-hours);
        // Open-ended, so a call logged by a node whose clock runs slightly ahead still counts.
        var range = new UsageRange(start, null) { ApiKeyId = MonitoringScope.ApiKeyId(request.HttpContext) };
        var totals = await statistics.GetTotalsAsync(range, cancellationToken).ConfigureAwait(false);
        var byModel = await statistics.GetBreakdownAsync(range, UsageDimension.Model, UsageOrder.Requests, limit, cancellationToken).ConfigureAwait(false);
        var byProvider = await statistics.GetBreakdownAsync(range, UsageDimension.Provider, UsageOrder.Requests, limit, cancellationToken).ConfigureAwait(false);
        var byKey = await statistics.GetBreakdownAsync(range, UsageDimension.ApiKey, UsageOrder.Requests, limit, cancellationToken).ConfigureAwait(false);
        var response = new StatisticsResponse
        {
            TimeRangeHours = hours,
            Start = start,
            End = now,
            TotalRequests = totals.Requests,
            SuccessfulRequests = totals.Requests - totals.Errors - totals.ClientClosed,
            FailedRequests = totals.Errors,
            ClientClosedRequests = totals.ClientClosed,
            RejectedRequests = totals.Rejected,
            TotalTokens = totals.TotalTokens,
            TotalPromptTokens = totals.PromptTokens,
            TotalCompletionTokens = totals.CompletionTokens,
            TotalCost = totals.Cost,
            AvgLatencyMs = totals.AvgLatencyMs ?? 0,
            AvgTimeToFirstTokenMs = totals.AvgTimeToFirstTokenMs,
            ErrorRate = totals.ErrorRate,
            RejectedRate = totals.RejectedRate,
            ByModel = MonitorViews.Groups(byModel, UsageDimension.Model),
            ByProvider = MonitorViews.Groups(byProvider, UsageDimension.Provider),
            ByApiKey = MonitorViews.Groups(byKey, UsageDimension.ApiKey),
        };
        return TypedResults.Json(response, ApiJsonContext.Default.StatisticsResponse);
    }

    private static async Task<IResult> TimeSeriesAsync(HttpRequest request, IInvocationStatistics statistics, TimeProvider time, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        var granularity = q.Choice("granularity", TimeBucketSize.Day, Granularities);
        var groupBy = q.Choice("group_by", null, Groupings);
        var end = q.Time("end") ?? time.GetUtcNow();
        var start = q.Time("start") ?? end - DefaultSpan(granularity);
        if (q.Error is null && start >= end)
        {
            q.Fail("start", "'start' must be before 'end'.");
        }
        else if (q.Error is null && (end - start) / Width(granularity) > MaxBuckets)
        {
            q.Fail("start", $"The range holds more than {MaxBuckets} buckets of one {Name(granularity)}; narrow it or use a coarser granularity.");
        }
        if (q.Error is { } error)
        {
            return ErrorWriter.Result(error);
        }
        var range = new UsageRange(start, end) { ApiKeyId = MonitoringScope.ApiKeyId(request.HttpContext) };
        var buckets = await statistics.GetTimeSeriesAsync(range, granularity, groupBy, cancellationToken).ConfigureAwait(false);
        var response = new TimeSeriesResponse(
            Name(granularity),
            groupBy is { } g ? Groupings.First(p => p.Value == g).Key : null,
            start,
            end,
            buckets.Select(b => MonitorViews.Bucket(b, groupBy)).ToArray());
        return TypedResults.Json(response, ApiJsonContext.Default.TimeSeriesResponse);
    }

    private static string Name(TimeBucketSize size) => Granularities.First(p => p.Value == size).Key;

    private static TimeSpan DefaultSpan(TimeBucketSize size) => size switch
    {
        TimeBucketSize.Hour => TimeSpan.FromHours(24),
        TimeBucketSize.Day => TimeSpan.FromDays(30),
        TimeBucketSize.Week => TimeSpan.FromDays(7 * 12),
        _ => TimeSpan.FromDays(365),
    };

    // The shortest a bucket can be, for bounding the number of buckets.
    private static TimeSpan Width(TimeBucketSize size) => size switch
    {
        TimeBucketSize.Hour => TimeSpan.FromHours(1),
        TimeBucketSize.Day => TimeSpan.FromDays(1),
        TimeBucketSize.Week => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(28),
    };
}
