using System.Globalization;
using LlmRouter.Abstractions.Routing;
using LlmRouter.Api.Auth;
using LlmRouter.Grains.Catalog;
using LlmRouter.Grains.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// The router toggle: GET /router/status (any caller), and for admins POST /router/toggle and GET /router/history.
/// A change takes effect after <c>[routing] toggle_delay_seconds</c> on every node, and the next change is refused
/// for <c>toggle_cooldown_seconds</c> (409 with Retry-After).
/// </summary>
public static class RouterToggleApi
{
    public const int MaxReasonLength = 500;
    public const int DefaultHistoryLimit = 50;
    public const int MaxHistoryLimit = RouterToggleGrain.HistoryKept;

    public static IEndpointRouteBuilder MapRouterToggleApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/router/status", StatusAsync);
        var admin = app.MapGroup("/router").AddEndpointFilter<AdminOnlyFilter>();
        admin.MapPost("/toggle", ToggleAsync);
        admin.MapGet("/history", HistoryAsync);
        return app;
    }

    private static async Task<IResult> StatusAsync(RouterToggle toggle, TimeProvider time, CancellationToken cancellationToken)
    {
        await toggle.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(Status(toggle, time.GetUtcNow()), RoutingJsonContext.Default.RouterStatusView);
    }

    private static async Task<IResult> ToggleAsync(HttpContext http, RouterToggle toggle, NodeInfo node, TimeProvider time)
    {
        var read = await DefinitionRequests.ReadAsync(http, 64 * 1024, ParseChange).ConfigureAwait(false);
        if (!read.Ok)
        {
            return read.Problem;
        }
        var (value, reason) = read.Value;
        if (reason?.Length > MaxReasonLength)
        {
            return ErrorWriter.Result(ApiErrors.Invalid("reason", $"'reason' must be at most {MaxReasonLength} characters."));
        }
        var caller = http.GetCaller();
        var outcome = await toggle.ChangeAsync(value, reason, caller.ApiKeyName ?? (caller.IsLocal ? "local" : "anonymous"), node.NodeId, http.RequestAborted).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var status = Status(toggle, now);
        var word = value ? "on" : "off";
        switch (outcome.Kind)
        {
            case RouterToggleOutcomeKind.CoolingDown:
                var retryAt = outcome.RetryAt!.Value;
                return ErrorWriter.Result(new ApiError(409, "invalid_request_error",
                    $"The router toggle was changed at {Iso(outcome.State.ChangedAt)}; it can change again from {Iso(retryAt)} (cooldown {toggle.Settings.ToggleCooldownSeconds.ToString(CultureInfo.InvariantCulture)} s).",
                    "value", "toggle_cooldown") { RetryAfter = retryAt - now });
            case RouterToggleOutcomeKind.Unchanged:
                return TypedResults.Json(new RouterToggleResponse(false, $"Routing is already {(status.Pending ? "turning " : "")}{word}; nothing was recorded.", status),
                    RoutingJsonContext.Default.RouterToggleResponse);
            default:
                var message = status.Pending
                    ? $"Routing turns {word} at {Iso(outcome.State.EffectiveAt)} on every node."
                    : $"Routing is now {word}.";
                return TypedResults.Json(new RouterToggleResponse(true, message, status), RoutingJsonContext.Default.RouterToggleResponse,
                    statusCode: status.Pending ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
        }
    }

    private static (bool Value, string? Reason) ParseChange(JsonObject body)
    {
        var fields = new JsonFields(body);
        var value = fields.Bool("value") ?? throw new DefinitionException("value", "'value' is required: true turns routing on, false turns it off.");
        var reason = fields.String("reason");
        fields.RejectUnknown();
        return (value, reason);
    }

    private static async Task<IResult> HistoryAsync(HttpRequest request, RouterToggle toggle)
    {
        var limit = DefaultHistoryLimit;
        if (request.Query["limit"] is { Count: > 0 } given
            && !(int.TryParse(given[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxHistoryLimit))
        {
            return ErrorWriter.Result(ApiErrors.Invalid("limit", $"'limit' must be an integer from 1 to {MaxHistoryLimit}."));
        }
        var changes = await toggle.HistoryAsync(limit, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var items = changes.Select(c => new RouterChangeView(c.Id, c.Value, c.PreviousValue, c.Reason, c.ChangedBy, c.Node, c.RequestedAt, c.EffectiveAt)).ToArray();
        return TypedResults.Json(new RouterHistoryResponse(items), RoutingJsonContext.Default.RouterHistoryResponse);
    }

    private static RouterStatusView Status(RouterToggle toggle, DateTimeOffset now)
    {
        var settings = toggle.Settings;
        var state = toggle.State;
        return new RouterStatusView(
            toggle.EnabledAt(now),
            state?.Value ?? settings.Enabled,
            state?.IsPendingAt(now) ?? false,
            state?.EffectiveAt,
            state?.ChangedAt,
            state?.Reason,
            state?.ChangedBy,
            state?.Node,
            state is null ? null : state.ChangedAt + TimeSpan.FromSeconds(settings.ToggleCooldownSeconds),
            settings.ToggleDelaySeconds,
            settings.ToggleCooldownSeconds,
            state?.Version ?? 0);
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
