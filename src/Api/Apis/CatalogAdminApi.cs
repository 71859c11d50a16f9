using LlmRouter.Abstractions.Catalog;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Catalog;
using LlmRouter.Api.Chat;
using LlmRouter.Api.Cluster;
using LlmRouter.Grains.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Apis;

/// <summary>
/// Catalog management for admins: GET/POST /providers, POST /models, PATCH /models/{provider}/{model}. What is
/// defined here is kept in the store and added to router.toml's entries; the file wins for names it defines.
/// </summary>
public static class CatalogAdminApi
{
    private const int UpdateAttempts = 5;

    public static IEndpointRouteBuilder MapCatalogAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("").AddEndpointFilter<AdminOnlyFilter>();
        admin.MapGet("/providers", ListProviders);
        admin.MapPost("/providers", UpsertProviderAsync);
        admin.MapPost("/models", CreateModelAsync);
        admin.MapPatch("/models/{provider}/{**model}", UpdateModelAsync);
        return app;
    }

    private static IResult ListProviders(CatalogOverlay catalog)
    {
        var fileNames = catalog.File.Providers.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var list = new JsonArray(catalog.Current.Providers
            .Select(p => (JsonNode?)DefinitionRequests.WithSource(CatalogDefinitions.ProviderJson(p), fileNames.Contains(p.Name)))
            .ToArray());
        return JsonNodeResults.Json(list);
    }

    private static async Task<IResult> UpsertProviderAsync(HttpContext http, CatalogOverlay catalog, ICatalogStore store, TimeProvider time, ILogger<CatalogOverlay> logger)
    {
        var read = await DefinitionRequests.ReadAsync(http, catalog.Current.Server.MaxRequestBodyBytes, CatalogDefinitions.ParseProvider).ConfigureAwait(false);
        if (!read.Ok)
        {
            return read.Problem;
        }
        var provider = read.Value;
        if (RestProviderPolicy.Check(provider, catalog.File.Server) is { } refused)
        {
            return ErrorWriter.Result(ApiErrors.Invalid(refused.Param ?? "body", refused.Message));
        }
        if (catalog.File.Providers.Any(p => p.Name == provider.Name))
        {
            return ErrorWriter.Result(DefinitionRequests.DefinedInFile($"provider '{provider.Name}'"));
        }
        var json = CatalogDefinitions.ProviderJson(provider);
        var stored = await store.UpsertProviderAsync(provider.Name, json.ToJsonString(), time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false);
        await CatalogRefresh.RefreshAsync(catalog, logger, http.RequestAborted).ConfigureAwait(false);
        await ClusterAnnouncements.PublishAsync(http, ClusterTopic.Catalog).ConfigureAwait(false);
        return JsonNodeResults.Json(DefinitionRequests.WithSource(json, fromFile: false), stored.Version == 1 ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> CreateModelAsync(HttpContext http, CatalogOverlay catalog, ICatalogStore store, TimeProvider time, ILogger<CatalogOverlay> logger)
    {
        var read = await DefinitionRequests.ReadAsync(http, catalog.Current.Server.MaxRequestBodyBytes, CatalogDefinitions.ParseModel).ConfigureAwait(false);
        if (!read.Ok)
        {
            return read.Problem;
        }
        var model = read.Value;
        if (!catalog.Current.Providers.Any(p => p.Name == model.Provider))
        {
            return ErrorWriter.Result(ApiErrors.Invalid("provider", $"Provider '{model.Provider}' is not defined (in router.toml or over POST /providers)."));
        }
        if (catalog.File.Models.Any(m => m.Id == model.Id))
        {
            return ErrorWriter.Result(DefinitionRequests.DefinedInFile($"model '{model.Id}'"));
        }
        var json = CatalogDefinitions.ModelJson(model);
        if (await store.CreateModelAsync(model.Id, json.ToJsonString(), time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false) is null)
        {
            return ErrorWriter.Result(new ApiError(409, "invalid_request_error", $"Model '{model.Id}' exists; change it with PATCH /models/{model.Id}.", "name", "conflict"));
        }
        await CatalogRefresh.RefreshAsync(catalog, logger, http.RequestAborted).ConfigureAwait(false);
        await ClusterAnnouncements.PublishAsync(http, ClusterTopic.Catalog).ConfigureAwait(false);
        return JsonNodeResults.Json(DefinitionRequests.WithSource(json, fromFile: false), StatusCodes.Status201Created);
    }

    /// <summary>A JSON merge patch over the stored definition; the name and provider cannot change.</summary>
    private static async Task<IResult> UpdateModelAsync(
        string provider, string model, HttpContext http, CatalogOverlay catalog, ICatalogStore store, TimeProvider time, ILogger<CatalogOverlay> logger)
    {
        var id = $"{provider}/{model}";
        if (catalog.File.Models.Any(m => m.Id == id))
        {
            return ErrorWriter.Result(DefinitionRequests.DefinedInFile($"model '{id}'"));
        }
        var (patch, error) = await ChatBodyReader.ReadObjectAsync(http.Request, catalog.Current.Server.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return ErrorWriter.Result(error);
        }
        for (var attempt = 0; attempt < UpdateAttempts; attempt++)
        {
            if (await store.GetModelAsync(id, http.RequestAborted).ConfigureAwait(false) is not { } current)
            {
                return ErrorWriter.Result(new ApiError(404, "invalid_request_error", $"No model '{id}' was defined over REST.", "model", "model_not_found"));
            }
            var parsed = DefinitionRequests.Parse(CatalogDefinitions.MergePatch(JsonNode.Parse(current.Json)!.AsObject(), patch!), CatalogDefinitions.ParseModel);
            if (!parsed.Ok)
            {
                return parsed.Problem;
            }
            var updated = parsed.Value;
            if (updated.Id != id)
            {
                return ErrorWriter.Result(ApiErrors.Invalid("name", "A model's 'name' and 'provider' cannot change; create a new model instead."));
            }
            var json = CatalogDefinitions.ModelJson(updated);
            if (await store.UpdateModelAsync(id, json.ToJsonString(), current.Version, time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false) is not null)
            {
                await CatalogRefresh.RefreshAsync(catalog, logger, http.RequestAborted).ConfigureAwait(false);
                await ClusterAnnouncements.PublishAsync(http, ClusterTopic.Catalog).ConfigureAwait(false);
                return JsonNodeResults.Json(DefinitionRequests.WithSource(json, fromFile: false));
            }
            // Another writer got in between the read and the write: read again and reapply the patch.
        }
        return ErrorWriter.Result(new ApiError(409, "invalid_request_error", $"Model '{id}' is being changed concurrently; try again.", Code: "conflict"));
    }
}
