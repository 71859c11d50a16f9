using System.Globalization;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// The cost API of seed 002, from the prices in [models.config]: current spend, per day, a summary, and the split by
/// model and by user (API key). Days are UTC. A range is <c>start</c>/<c>end</c>, or the last <c>days</c> days (30)
/// ending now.
/// </summary>
public static class CostApi
{
    private const string Currency = "USD";
    private const int MaxDays = 3660;

    /// <summary>Maps /cost; the returned group is where access rules attach.</summary>
    public static RouteGroupBuilder MapCostApi(this IEndpointRouteBuilder app)
    {
        var cost = app.MapGroup("/cost");
        cost.MapGet("/current", CurrentAsync);
        cost.MapGet("/daily", DailyAsync);
        cost.MapGet("/summary", SummaryAsync);
        cost.MapGet("/by-model", (HttpRequest request, IInvocationStatistics statistics, TimeProvider time, CancellationToken cancellationToken) =>
            BreakdownAsync(request, statistics, time, UsageDimension.Model, cancellationToken));
        cost.MapGet("/by-user", (HttpRequest request, IInvocationStatistics statistics, TimeProvider time, CancellationToken cancellationToken) =>
            BreakdownAsync(request, statistics, time, UsageDimension.ApiKey, cancellationToken));
        return cost;
    }

    private static async Task<IResult> CurrentAsync(HttpContext http, IInvocationStatistics statistics, TimeProvider time, CancellationToken cancellationToken)
    {
        var scope = MonitoringScope.ApiKeyId(http);
        var now = time.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var todayTotals = await statistics.GetTotalsAsync(new UsageRange(today, null) { ApiKeyId = scope }, cancellationToken).ConfigureAwait(false);
        var monthTotals = await statistics.GetTotalsAsync(new UsageRange(month, null) { ApiKeyId = scope }, cancellationToken).ConfigureAwait(false);
        var allTotals = await statistics.GetTotalsAsync(UsageRange.All with { ApiKeyId = scope }, cancellationToken).ConfigureAwait(false);
        var response = new CostCurrentResponse(Currency, now,
            MonitorViews.Period(today, todayTotals), MonitorViews.Period(month, monthTotals), MonitorViews.Period(null, allTotals));
        return TypedResults.Json(response, ApiJsonContext.Default.CostCurrentResponse);
    }

    private static async Task<IResult> DailyAsync(HttpRequest request, IInvocationStatistics statistics, TimeProvider time, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        ReadRange(q, time, out var start, out var end);
        if (q.Error is null && (end - start).TotalDays > MaxDays)
        {
            q.Fail("start", $"/cost/daily lists at most {MaxDays} days; narrow the range.");
        }
        if (q.Error is { } error)
        {
            return ErrorWriter.Result(error);
        }
        var buckets = await statistics.GetTimeSeriesAsync(Range(request, start, end), TimeBucketSize.Day, null, cancellationToken).ConfigureAwait(false);
        var byDay = buckets.ToDictionary(b => b.Start.UtcDateTime.Date, b => b.Totals);
        var days = new List<CostDayView>();
        for (var day = start.UtcDateTime.Date; day < end.UtcDateTime; day = day.AddDays(1))
        {
            var t = byDay.GetValueOrDefault(day) ?? UsageTotals.Empty;
            days.Add(new CostDayView(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), t.Requests, t.PromptTokens, t.CompletionTokens, t.TotalTokens, t.Cost));
        }
        var response = new CostDailyResponse(Currency, start, end, buckets.Sum(b => b.Totals.Cost), days);
        return TypedResults.Json(response, ApiJsonContext.Default.CostDailyResponse);
    }

    private static async Task<IResult> SummaryAsync(HttpRequest request, IInvocationStatistics statistics, TimeProvider time, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        ReadRange(q, time, out var start, out var end);
        if (q.Error is { } error)
        {
            return ErrorWriter.Result(error);
        }
        var range = Range(request, start, end);
        var totals = await statistics.GetTotalsAsync(range, cancellationToken).ConfigureAwait(false);
        var byProvider = await statistics.GetBreakdownAsync(range, UsageDimension.Provider, UsageOrder.Cost, 1000, cancellationToken).ConfigureAwait(false);
        var days = Math.Max(1, (int)Math.Ceiling((end - start).TotalDays));
        var response = new CostSummaryResponse
        {
            Currency = Currency,
            Start = start,
            End = end,
            Days = days,
            TotalRequests = totals.Requests,
            TotalPromptTokens = totals.PromptTokens,
            TotalCompletionTokens = totals.CompletionTokens,
            TotalTokens = totals.TotalTokens,
            TotalCost = totals.Cost,
            AverageDailyCost = decimal.Round(totals.Cost / days, 9, MidpointRounding.AwayFromZero),
            ByProvider = MonitorViews.Groups(byProvider, UsageDimension.Provider),
        };
        return TypedResults.Json(response, ApiJsonContext.Default.CostSummaryResponse);
    }

    private static async Task<IResult> BreakdownAsync(
        HttpRequest request, IInvocationStatistics statistics, TimeProvider time, UsageDimension dimension, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        var limit = q.Int("limit", 100, 1, 1000);
        ReadRange(q, time, out var start, out var end);
        if (q.Error is { } error)
        {
            return ErrorWriter.Result(error);
        }
        var groups = await statistics.GetBreakdownAsync(Range(request, start, end), dimension, UsageOrder.Cost, limit, cancellationToken).ConfigureAwait(false);
        var response = new CostBreakdownResponse(Currency, start, end, groups.Sum(g => g.Totals.Cost), MonitorViews.Groups(groups, dimension));
        return TypedResults.Json(response, ApiJsonContext.Default.CostBreakdownResponse);
    }

    /// <summary>The range narrowed to what the caller may see (a user key: its own calls).</summary>
    private static UsageRange Range(HttpRequest request, DateTimeOffset start, DateTimeOffset end) =>
        new(start, end) { ApiKeyId = MonitoringScope.ApiKeyId(request.HttpContext) };

    /// <summary>
    /// The range asked for: <c>start</c> and <c>end</c>, else the last <c>days</c> UTC days including today (ending now).
    /// </summary>
    private static void ReadRange(QueryReader q, TimeProvider time, out DateTimeOffset start, out DateTimeOffset end)
    {
        var days = q.Int("days", 30, 1, MaxDays);
        var now = time.GetUtcNow();
        end = q.Time("end") ?? now;
        start = q.Time("start") ?? new DateTimeOffset(end.UtcDateTime.Date, TimeSpan.Zero).AddDays(1 - days);
        if (q.Error is null && start >= end)
        {
            q.Fail("start", "'start' must be before 'end'.");
        }
    }
}
