using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests.Routing;

/// <summary>The router toggle (seed 002): status, a delayed effect, the cooldown, history, and who may use it.</summary>
public sealed class RouterToggleTests
{
    /// <summary>Everything asked of fake/a goes to fake/b while routing is on.</summary>
    private static string Settings(double delay, double cooldown, bool enabled = true) => $$"""
        [routing]
        enabled = {{(enabled ? "true" : "false")}}
        toggle_delay_seconds = {{delay.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
        toggle_cooldown_seconds = {{cooldown.ToString(System.Globalization.CultureInfo.InvariantCulture)}}

        [[routing_rules]]
        name = "a-to-b"
        conditions = { models = ["fake/a"] }
        action = { use_model = "fake/b" }
        """;

    private static Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> ToggleAsync(RouterHarness router, bool value, string? reason = null, string key = RoutingKit.AdminKey) =>
        RoutingKit.AsKeyAsync(router, key, HttpMethod.Post, "/router/toggle", new JsonObject { ["value"] = value, ["reason"] = reason }.ToJsonString());

    private static Task<JsonNode> StatusAsync(RouterHarness router) => RoutingKit.StatusAsync(router);

    private static Task WaitEnabledAsync(RouterHarness router, bool enabled) => RoutingKit.WaitEnabledAsync(router, enabled);

    [Fact]
    public async Task The_status_starts_from_the_configuration()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Settings(7, 90));
        await using var _ = fake;
        await using var __ = router;

        var status = await StatusAsync(router);

        Assert.True(status["enabled"]!.GetValue<bool>());
        Assert.True(status["value"]!.GetValue<bool>());
        Assert.False(status["pending"]!.GetValue<bool>());
        Assert.Null(status["changed_at"]);
        Assert.Null(status["cooldown_until"]);
        Assert.Equal((7.0, 90.0, 0L), (status["toggle_delay_seconds"]!.GetValue<double>(), status["toggle_cooldown_seconds"]!.GetValue<double>(), status["version"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Turning_routing_off_takes_effect_after_the_delay()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Settings(3, 600));
        await using var _ = fake;
        await using var __ = router;

        var before = DateTimeOffset.UtcNow;
        var (status, body, _) = await ToggleAsync(router, false, "maintenance");
        var pending = await RoutingKit.AskAsync(router, "fake/a");
        await WaitEnabledAsync(router, false);
        var off = await RoutingKit.AskAsync(router, "fake/a");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.True(body!["changed"]!.GetValue<bool>());
        Assert.Contains("turns off at", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var state = body["status"]!;
        Assert.True(state["enabled"]!.GetValue<bool>());
        Assert.False(state["value"]!.GetValue<bool>());
        Assert.True(state["pending"]!.GetValue<bool>());
        var effectiveAt = state["effective_at"]!.GetValue<DateTimeOffset>();
        var changedAt = state["changed_at"]!.GetValue<DateTimeOffset>();
        Assert.Equal(TimeSpan.FromSeconds(3), effectiveAt - changedAt);
        Assert.Equal(TimeSpan.FromSeconds(600), state["cooldown_until"]!.GetValue<DateTimeOffset>() - changedAt);
        Assert.InRange(changedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(("maintenance", "admin", "test-node"), (state["reason"]!.GetValue<string>(), state["changed_by"]!.GetValue<string>(), state["node"]!.GetValue<string>()));
        // Requested, not yet in force: the rule still routes; once in force, the request goes where it names.
        Assert.Equal("from b", pending);
        Assert.Equal("from a", off);
        var rows = (await router.InvocationsAsync()).OrderBy(r => r.Id).ToArray();
        Assert.Equal(["a-to-b", null], rows.Select(r => r.Rule));
        var final = await StatusAsync(router);
        Assert.False(final["enabled"]!.GetValue<bool>());
        Assert.False(final["pending"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_cooldown_refuses_a_second_change_and_a_repeated_request_records_nothing()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Settings(0, 600));
        await using var _ = fake;
        await using var __ = router;

        var first = await ToggleAsync(router, false, "first");
        var repeated = await ToggleAsync(router, false, "again");
        var back = await ToggleAsync(router, true, "too soon");
        var history = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Get, "/router/history");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("Routing is now off.", first.Body!["message"]!.GetValue<string>());
        Assert.False(first.Body["status"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, repeated.Status);
        Assert.False(repeated.Body!["changed"]!.GetValue<bool>());
        var error = AccessKit.AssertError(HttpStatusCode.Conflict, "invalid_request_error", "toggle_cooldown", back);
        Assert.Equal("value", error["param"]!.GetValue<string>());
        Assert.InRange(int.Parse(back.Response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 590, 600);
        var entry = Assert.Single(history.Body!["items"]!.AsArray())!;
        Assert.Equal("first", entry["reason"]!.GetValue<string>());
        Assert.False((await StatusAsync(router))["enabled"]!.GetValue<bool>());
        Assert.Equal("from a", await RoutingKit.AskAsync(router, "fake/a"));
    }

    [Fact]
    public async Task History_lists_accepted_changes_newest_first()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Settings(0, 0));
        await using var _ = fake;
        await using var __ = router;

        await ToggleAsync(router, false, "one");
        await ToggleAsync(router, true, "two");
        await RoutingKit.LocalAsync(router, HttpMethod.Post, "/router/toggle", """{"value": false}""");
        var all = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Get, "/router/history");
        var two = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Get, "/router/history?limit=2");
        var bad = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Get, "/router/history?limit=0");

        var items = all.Body!["items"]!.AsArray();
        Assert.Equal([null, "two", "one"], items.Select(i => i!["reason"]?.GetValue<string>()));
        Assert.Equal([false, true, false], items.Select(i => i!["value"]!.GetValue<bool>()));
        Assert.Equal([true, false, true], items.Select(i => i!["previous_value"]!.GetValue<bool>()));
        Assert.Equal(["local", "admin", "admin"], items.Select(i => i!["changed_by"]!.GetValue<string>()));
        Assert.All(items, i => Assert.Equal("test-node", i!["node"]!.GetValue<string>()));
        Assert.Equal(2, two.Body!["items"]!.AsArray().Count);
        Assert.Equal("limit", AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", bad)["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_admins_change_the_toggle_or_read_its_history_and_metrics()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Settings(0, 0));
        await using var _ = fake;
        await using var __ = router;

        var status = await RoutingKit.AsKeyAsync(router, RoutingKit.UserKey, HttpMethod.Get, "/router/status");
        var toggle = await ToggleAsync(router, false, key: RoutingKit.UserKey);
        var history = await RoutingKit.AsKeyAsync(router, RoutingKit.UserKey, HttpMethod.Get, "/router/history");
        var metrics = await RoutingKit.AsKeyAsync(router, RoutingKit.UserKey, HttpMethod.Get, "/router/metrics");
        var anonymous = await AccessKit.SendAsync(router, HttpMethod.Get, "/router/status");

        Assert.Equal(HttpStatusCode.OK, status.Status);
        AccessKit.AssertError(HttpStatusCode.Forbidden, "permission_error", "admin_required", toggle);
        AccessKit.AssertError(HttpStatusCode.Forbidden, "permission_error", "admin_required", history);
        AccessKit.AssertError(HttpStatusCode.Forbidden, "permission_error", "admin_required", metrics);
        AccessKit.AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", anonymous);
        Assert.True((await StatusAsync(router))["enabled"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("{}", "value")]
    [InlineData("""{"value": "off"}""", "value")]
    [InlineData("""{"value": false, "reason": 5}""", "reason")]
    [InlineData("""{"value": false, "why": "x"}""", "why")]
    public async Task Malformed_toggle_requests_are_refused(string body, string param)
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Settings(0, 0));
        await using var _ = fake;
        await using var __ = router;

        var response = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Post, "/router/toggle", body);
        var tooLong = await ToggleAsync(router, false, new string('r', 501));
        var notJson = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Post, "/router/toggle", "value=false");

        Assert.Equal(param, AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", response)["param"]!.GetValue<string>());
        Assert.Equal("reason", AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", tooLong)["param"]!.GetValue<string>());
        AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_json", notJson);
        Assert.Empty((await RoutingKit.LocalAsync(router, HttpMethod.Get, "/router/history")).Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task Routing_configured_off_goes_where_requests_name_until_turned_on()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Settings(0, 0, enabled: false));
        await using var _ = fake;
        await using var __ = router;

        var off = await RoutingKit.AskAsync(router, "fake/a");
        var status = await StatusAsync(router);
        var (toggled, body, _) = await ToggleAsync(router, true, "back on");
        var on = await RoutingKit.AskAsync(router, "fake/a");

        Assert.Equal("from a", off);
        Assert.False(status["enabled"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, toggled);
        Assert.True(body!["status"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("from b", on);
    }
}
