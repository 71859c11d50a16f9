using LlmRouter.Abstractions;
using LlmRouter.Abstractions.Access;
using LlmRouter.Abstractions.Catalog;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Responses;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests;

/// <summary>
/// The facts the stores of keys, sessions, deployment secrets, catalog definitions and kept responses must meet on every database.
/// Each database derives from this class and supplies a fresh, empty one.
/// </summary>
public abstract class AccessStoreConformance : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The database under test; every use makes new stores over it, as another node would.</summary>
    protected abstract StoreDialect Dialect { get; }

    private IApiKeyStore Keys => new ApiKeyStore(Dialect);
    private ISessionStore Sessions => new SessionStore(Dialect);
    private IDeploymentSecretStore Secrets => new DeploymentSecretStore(Dialect);
    private ICatalogStore Catalog => new CatalogStore(Dialect);
    private IStoreHealth Health => new StoreHealth(Dialect);
    private IResponseStore Responses => new ResponseStore(Dialect);

    /// <summary>The kind the store's health check names.</summary>
    protected abstract string HealthKind { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [StoreFact]
    public async Task A_created_key_is_found_by_id_and_by_hash_with_its_whole_policy()
    {
        var key = Key("key_a", "hash-a") with
        {
            AllowedModels = ["openai/gpt-4o", "deepseek/deepseek-chat"],
            AllowedProviders = ["openai"],
            ParameterLimits = new ParameterLimits { MaxTokens = 2000, Temperature = 0.7, TopP = 0.9 },
            RateLimit = new RateLimitConfig { MaxRequests = 10, PerSeconds = 60, BurstSize = 20, TokensPerMinute = 100_000 },
            Budget = new BudgetConfig { LimitUsd = 12.345678m, Period = "day" },
            Role = ApiKeyRoles.Admin,
        };

        Assert.True(await Keys.CreateAsync(key));
        var byId = await Keys.GetAsync("key_a");
        var byHash = await Keys.FindBySecretHashAsync("hash-a");

        Assert.Equal(key.AllowedModels, byId!.AllowedModels);
        Assert.Equal(key.AllowedProviders, byId.AllowedProviders);
        Assert.Equal(key.ParameterLimits, byId.ParameterLimits);
        Assert.Equal(key.RateLimit, byId.RateLimit);
        Assert.Equal(key.Budget, byId.Budget);
        Assert.Equal((ApiKeyRoles.Admin, true, ApiKeySources.Store, T0), (byId.Role, byId.IsActive, byId.Source, byId.CreatedAt));
        Assert.Equal(byId.Id, byHash!.Id);
        Assert.Null(await Keys.GetAsync("key_missing"));
        Assert.Null(await Keys.FindBySecretHashAsync("hash-missing"));
    }

    [StoreFact]
    public async Task Ids_and_secret_hashes_are_unique()
    {
        Assert.True(await Keys.CreateAsync(Key("key_a", "hash-a")));

        Assert.False(await Keys.CreateAsync(Key("key_a", "hash-b")));
        Assert.False(await Keys.CreateAsync(Key("key_b", "hash-a")));
        Assert.Single(await Keys.ListAsync());
    }

    [StoreFact]
    public async Task An_update_changes_only_the_fields_it_names_and_null_clears()
    {
        await Keys.CreateAsync(Key("key_a", "hash-a") with { AllowedModels = ["a/b"], ParameterLimits = new ParameterLimits { MaxTokens = 5 } });

        var updated = await Keys.UpdateAsync("key_a", new ApiKeyChanges { IsActive = new(false), AllowedModels = new(null) }, T0.AddMinutes(1));
        var missing = await Keys.UpdateAsync("key_missing", new ApiKeyChanges { IsActive = new(false) }, T0);

        Assert.False(updated!.IsActive);
        Assert.Null(updated.AllowedModels);
        Assert.Equal(5, updated.ParameterLimits!.MaxTokens);
        Assert.Equal("name-key_a", updated.Name);
        Assert.Equal(T0.AddMinutes(1), updated.UpdatedAt);
        Assert.Null(missing);
        Assert.False((await Keys.GetAsync("key_a"))!.IsActive);
    }

    [StoreFact]
    public async Task A_pipeline_is_kept_changed_and_cleared()
    {
        await Keys.CreateAsync(Key("key_a", "hash-a") with { Pipeline = "cursor" });
        var created = await Keys.GetAsync("key_a");

        var changed = await Keys.UpdateAsync("key_a", new ApiKeyChanges { Pipeline = new("think_tags") }, T0.AddMinutes(1));
        var renamed = await Keys.UpdateAsync("key_a", new ApiKeyChanges { Name = new("other") }, T0.AddMinutes(2));
        var cleared = await Keys.UpdateAsync("key_a", new ApiKeyChanges { Pipeline = new(null) }, T0.AddMinutes(3));

        Assert.Equal("cursor", created!.Pipeline);
        Assert.Equal("think_tags", changed!.Pipeline);
        Assert.Equal("think_tags", renamed!.Pipeline);
        Assert.Null(cleared!.Pipeline);
        Assert.Null((await Keys.GetAsync("key_a"))!.Pipeline);
    }

    [StoreFact]
    public async Task Keys_list_oldest_first_and_delete_removes_one()
    {
        await Keys.CreateAsync(Key("key_b", "hash-b") with { CreatedAt = T0.AddSeconds(5) });
        await Keys.CreateAsync(Key("key_a", "hash-a"));

        Assert.Equal(["key_a", "key_b"], (await Keys.ListAsync()).Select(k => k.Id));
        Assert.True(await Keys.DeleteAsync("key_a"));
        Assert.False(await Keys.DeleteAsync("key_a"));
        Assert.Equal(["key_b"], (await Keys.ListAsync()).Select(k => k.Id));
    }

    [StoreFact]
    public async Task Keys_made_at_once_and_providers_list_by_name_bytewise()
    {
        // Text sorts by bytes on every store, as SQLite compares it: capitals before small letters.
        await Keys.CreateAsync(Key("key_a", "hash-a"));
        await Keys.CreateAsync(Key("key_B", "hash-b"));
        await Keys.CreateAsync(Key("key_b", "hash-c"));
        await Catalog.UpsertProviderAsync("b", "{}", T0);
        await Catalog.UpsertProviderAsync("a", "{}", T0);
        await Catalog.UpsertProviderAsync("A", "{}", T0);
        await Catalog.CreateModelAsync("p/b", "{}", T0);
        await Catalog.CreateModelAsync("p/B", "{}", T0);

        Assert.Equal(["key_B", "key_a", "key_b"], (await Keys.ListAsync()).Select(k => k.Id));
        Assert.Equal(["A", "a", "b"], (await Catalog.ListProvidersAsync()).Select(p => p.Key));
        Assert.Equal(["p/B", "p/b"], (await Catalog.ListModelsAsync()).Select(m => m.Key));
    }

    [StoreFact]
    public async Task Last_used_of_many_keys_is_read_at_once()
    {
        var ids = Enumerable.Range(0, 300).Select(i => $"key_{i:D3}").ToArray();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)).Where(p => p.i % 3 == 0))
        {
            await Keys.TouchAsync(id, T0.AddSeconds(i));
        }

        var used = await Keys.LastUsedAsync(ids);

        Assert.Equal(100, used.Count);
        Assert.Equal(T0.AddSeconds(297), used["key_297"]);
        Assert.False(used.ContainsKey("key_298"));
    }

    [StoreFact]
    public async Task The_store_answers_its_health_check()
    {
        var report = await Health.CheckAsync();

        Assert.True(report.Healthy, report.Error);
        Assert.Equal(HealthKind, Health.Kind);
    }

    [StoreFact]
    public async Task Last_used_only_moves_forward_and_covers_keys_outside_the_store()
    {
        await Keys.CreateAsync(Key("key_a", "hash-a"));

        await Keys.TouchAsync("key_a", T0.AddMinutes(10));
        await Keys.TouchAsync("key_a", T0.AddMinutes(5));
        await Keys.TouchAsync("cfg_0123", T0.AddMinutes(1));

        Assert.Equal(T0.AddMinutes(10), (await Keys.GetAsync("key_a"))!.LastUsedAt);
        var used = await Keys.LastUsedAsync(["key_a", "cfg_0123", "cfg_never"]);
        Assert.Equal(2, used.Count);
        Assert.Equal(T0.AddMinutes(1), used["cfg_0123"]);
    }

    [StoreFact]
    public async Task A_session_is_found_until_it_expires_or_is_revoked()
    {
        await Sessions.CreateAsync(Session("ses_1", "token-1", "key_a"));
        await Sessions.CreateAsync(Session("ses_2", "token-2", "key_a"));
        await Sessions.CreateAsync(Session("ses_3", "token-3", "key_b"));

        Assert.Equal("ses_1", (await Sessions.FindAsync("token-1", T0.AddMinutes(59)))!.Id);
        Assert.Null(await Sessions.FindAsync("token-1", T0.AddHours(1)));
        Assert.True(await Sessions.RevokeAsync("token-3"));
        Assert.False(await Sessions.RevokeAsync("token-3"));
        Assert.Null(await Sessions.FindAsync("token-3", T0));
        Assert.Equal(2, await Sessions.RevokeForKeyAsync("key_a"));
        Assert.Null(await Sessions.FindAsync("token-2", T0));
    }

    [StoreFact]
    public async Task A_model_binds_only_to_a_live_session()
    {
        await Sessions.CreateAsync(Session("ses_1", "token-1", "key_a"));

        var bound = await Sessions.BindModelAsync("token-1", "openai/gpt-4o", T0.AddMinutes(1));
        var late = await Sessions.BindModelAsync("token-1", "openai/gpt-4o-mini", T0.AddHours(2));
        var unknown = await Sessions.BindModelAsync("token-x", "openai/gpt-4o", T0);

        Assert.Equal("openai/gpt-4o", bound!.BoundModel);
        Assert.Null(late);
        Assert.Null(unknown);
        Assert.Equal("openai/gpt-4o", (await Sessions.FindAsync("token-1", T0))!.BoundModel);
    }

    [StoreFact]
    public async Task Expired_sessions_are_removed()
    {
        await Sessions.CreateAsync(Session("ses_1", "token-1", "key_a"));
        await Sessions.CreateAsync(Session("ses_2", "token-2", "key_a") with { ExpiresAt = T0.AddHours(3) });

        Assert.Equal(1, await Sessions.RemoveExpiredAsync(T0.AddHours(2)));
        Assert.NotNull(await Sessions.FindAsync("token-2", T0.AddHours(2)));
    }

    [StoreFact]
    public async Task The_first_value_of_a_deployment_secret_wins_for_everyone()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Secrets.GetOrAddAsync("pepper", "candidate-" + i).AsTask()));

        Assert.Single(answers.Distinct());
        Assert.Equal(answers[0], await Secrets.GetOrAddAsync("pepper", "late"));
        Assert.Equal("other", await Secrets.GetOrAddAsync("other-name", "other"));
    }

    [StoreFact]
    public async Task Catalog_versions_and_the_revision_grow_with_every_change()
    {
        var revisions = new List<long> { await Catalog.RevisionAsync() };

        var first = await Catalog.UpsertProviderAsync("p", """{"name":"p"}""", T0);
        revisions.Add(await Catalog.RevisionAsync());
        var second = await Catalog.UpsertProviderAsync("p", """{"name":"p","v":2}""", T0.AddSeconds(1));
        revisions.Add(await Catalog.RevisionAsync());
        var model = await Catalog.CreateModelAsync("p/m", """{"name":"m"}""", T0);
        revisions.Add(await Catalog.RevisionAsync());
        var duplicate = await Catalog.CreateModelAsync("p/m", """{"name":"other"}""", T0);
        var stale = await Catalog.UpdateModelAsync("p/m", """{"name":"stale"}""", expectedVersion: 7, T0);
        var updated = await Catalog.UpdateModelAsync("p/m", """{"name":"m","v":2}""", model!.Version, T0.AddSeconds(2));
        revisions.Add(await Catalog.RevisionAsync());

        Assert.Equal((1L, 2L), (first.Version, second.Version));
        Assert.Equal("""{"name":"p","v":2}""", Assert.Single(await Catalog.ListProvidersAsync()).Json);
        Assert.Null(duplicate);
        Assert.Null(stale);
        Assert.Equal(2, updated!.Version);
        Assert.Equal("""{"name":"m","v":2}""", (await Catalog.GetModelAsync("p/m"))!.Json);
        Assert.Equal(T0.AddSeconds(2), Assert.Single(await Catalog.ListModelsAsync()).UpdatedAt);
        Assert.Null(await Catalog.GetModelAsync("p/none"));
        Assert.Equal(revisions.Order(), revisions);
        Assert.Equal(revisions.Count, revisions.Distinct().Count());
    }

    [StoreFact]
    public async Task A_kept_response_is_found_by_id_with_its_owner_and_text()
    {
        var kept = new StoredResponse
        {
            Id = "resp_a", ApiKeyId = "key_a", CreatedAt = T0, Input = """[{"role":"user","content":"hi 你好"}]""", Response = """{"id":"resp_a"}""",
        };
        await Responses.SaveAsync(kept);
        await Responses.SaveAsync(kept with { Id = "resp_anonymous", ApiKeyId = null });

        Assert.Equal(kept, await Responses.FindAsync("resp_a"));
        Assert.Null((await Responses.FindAsync("resp_anonymous"))!.ApiKeyId);
        Assert.Null(await Responses.FindAsync("resp_none"));
    }

    [StoreFact]
    public async Task Responses_older_than_the_cutoff_are_deleted_oldest_first_in_bounded_batches()
    {
        for (var i = 0; i < 5; i++)
        {
            await Responses.SaveAsync(new StoredResponse { Id = "resp_" + i, CreatedAt = T0.AddMinutes(i), Input = "[]", Response = "{}" });
        }

        Assert.Equal(2, await Responses.DeleteOlderThanAsync(T0.AddMinutes(3), limit: 2));
        Assert.Equal(1, await Responses.DeleteOlderThanAsync(T0.AddMinutes(3), limit: 2));
        Assert.Equal(0, await Responses.DeleteOlderThanAsync(T0.AddMinutes(3), limit: 2));

        Assert.Null(await Responses.FindAsync("resp_2"));
        Assert.NotNull(await Responses.FindAsync("resp_3"));
        Assert.NotNull(await Responses.FindAsync("resp_4"));
    }

    [StoreFact]
    public async Task A_deleted_response_is_gone_and_only_that_one()
    {
        await Responses.SaveAsync(new StoredResponse { Id = "resp_gone", CreatedAt = T0, Input = "[]", Response = "{}" });
        await Responses.SaveAsync(new StoredResponse { Id = "resp_kept", CreatedAt = T0, Input = "[]", Response = "{}" });

        Assert.True(await Responses.DeleteAsync("resp_gone"));
        Assert.False(await Responses.DeleteAsync("resp_gone"));
        Assert.False(await Responses.DeleteAsync("resp_none"));

        Assert.Null(await Responses.FindAsync("resp_gone"));
        Assert.NotNull(await Responses.FindAsync("resp_kept"));
    }

    private static ApiKeyRecord Key(string id, string hash) =>
        new() { Id = id, Name = "name-" + id, SecretHash = hash, CreatedAt = T0, UpdatedAt = T0 };

    private static SessionRecord Session(string id, string tokenHash, string keyId) =>
        new() { Id = id, TokenHash = tokenHash, ApiKeyId = keyId, CreatedAt = T0, ExpiresAt = T0.AddHours(1) };
}
