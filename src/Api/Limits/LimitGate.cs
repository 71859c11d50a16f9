using System.Diagnostics;
using System.Globalization;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Metrics;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Chat;
using LlmRouter.Api.Diagnostics;
using LlmRouter.Api.Monitoring;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace LlmRouter.Api.Limits;

/// <summary>
/// Lets a chat call through its key's and model's limits before the upstream is called: a keyed call asks the key's
/// grain (which asks the model's), an anonymous one the model's grain. Writes the
/// x-ratelimit-* headers, or the 429 with Retry-After when refused.
/// </summary>
public sealed partial class LimitGate(LimitGrainCalls grains, IRouterConfigSource config, IRouterMetrics metrics, ILogger<LimitGate> logger)
{

    /// <summary>The call with its reservation, or null when <paramref name="writeError"/> was given the refusal.</summary>
    public async ValueTask<ChatInvocation?> AdmitCallAsync(HttpContext http, ChatInvocation invocation, Func<HttpContext, ApiError, Task> writeError)
    {
        var model = invocation.Model;
        var key = http.GetAccess().Key;
        var (tokens, cost) = invocation.Embedding is { } input
            ? TokenReservation.Estimate(input, model.Model)
            : TokenReservation.Estimate(invocation.Body, model.Model, config.Current.Server.DefaultMaxTokensEstimate);
        var request = new AdmissionRequest
        {
            ModelId = model.Id,
            ModelLimit = model.Model.RateLimit,
            KeyLimit = key?.RateLimit,
            KeyBudget = key?.Budget,
            SessionId = invocation.Caller.SessionId,
            ReserveTokens = tokens,
            ReserveCostUsd = cost,
        };
        RefusedCall.NoteModel(http, model);
        if (!request.IsLimited)
        {
            RefusedCall.NoteAdmitted(http);
            return invocation with { Reservation = Reservation.Nothing() };
        }
        Admission admission;
        var started = Stopwatch.GetTimestamp();
        try
        {
            admission = await AdmitWithRetryAsync(key is not null ? grains.Key(key.Id) : grains.Model(model.Id), request, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Grains out of reach fail every call: one line every few seconds says so, not one a call.
            if (_storeFailures.ShouldLog(out var suppressed))
            {
                LogStoreFailed(logger, exception, model.Id, suppressed);
            }
            await writeError(http, LimitErrors.StoreUnavailable()).ConfigureAwait(false);
            return null;
        }
        RateLimitHeaders.Write(http.Response, admission);
        // W3C Server-Timing: how long admission took inside the node (the store round trip, mostly).
        http.Response.Headers["server-timing"] = string.Create(CultureInfo.InvariantCulture, $"limits;dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.###}");
        if (!admission.IsAcquired)
        {
            LogRefused(logger, model.Id, admission.RefusedBy);
            metrics.RateLimited(admission.RefusedBy is LimitKind.KeyRequests or LimitKind.KeyTokens or LimitKind.KeyBudget ? RateLimitScopes.Key : RateLimitScopes.Model);
            RefusedCall.NoteLimit(http, LimitNames.Describe(request, admission.RefusedBy));
            await writeError(http, LimitErrors.Refused(admission)).ConfigureAwait(false);
            return null;
        }
        RefusedCall.NoteAdmitted(http);
        return invocation with { Reservation = admission.Reservation };
    }

    /// <summary>
    /// How long a call waits for its grains while the silo that held them is dying: until the cluster declares it dead,
    /// calls to it are refused at once, and the grain then comes back on a survivor.
    /// </summary>
    private static readonly TimeSpan SiloLossWait = TimeSpan.FromSeconds(10);

    private static async ValueTask<Admission> AdmitWithRetryAsync(
        GrainCallBatches<LimitWork, Admission?> grain, AdmissionRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                var (answers, index) = grain.Add(new LimitWork(request, null));
                return (await answers.ConfigureAwait(false))[index]!;
            }
            catch (OrleansMessageRejectionException) when (Stopwatch.GetElapsedTime(started) < SiloLossWait)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private readonly LogThrottle _storeFailures = new(TimeSpan.FromSeconds(5));

    [LoggerMessage(Level = LogLevel.Error, Message = "Admission of a call to {Model} failed: the limit grains did not answer ({Suppressed} more such failures since the last report)")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string model, long suppressed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A call to {Model} was refused by {Limit}")]
    private static partial void LogRefused(ILogger logger, string model, LimitKind limit);
}
