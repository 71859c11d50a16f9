using LlmRouter.Abstractions.Grains;
using LlmRouter.Api.Auth.Keys;
using LlmRouter.Api.Catalog;
using LlmRouter.Api.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Auth;

/// <summary>Registers authentication, keys, sessions and the reading of the cluster's lockouts, and puts authentication in the pipeline.</summary>
public static class AccessServiceExtensions
{
    /// <summary>Needs the stores (IApiKeyStore, ISessionStore, IDeploymentSecretStore, ICatalogStore) and a <see cref="CatalogOverlay"/>.</summary>
    public static IServiceCollection AddRouterAccess(this IServiceCollection services)
    {
        services.AddSingleton<SecretHasher>();
        services.AddSingleton<ApiKeyDirectory>();
        services.AddSingleton<LoginSessions>();
        services.AddSingleton<CredentialResolver>();
        services.AddSingleton(sp => new ClusterChangeHandler(ClusterTopic.Lockouts, sp.GetRequiredService<CredentialGuessThrottle>().RefreshLockoutsAsync));
        return services;
    }

    /// <summary>Loads the stored catalog before the node serves, then authenticates every request that follows.</summary>
    public static async Task UseRouterAccessAsync(this WebApplication app)
    {
        // The pepper is created or read before the node serves, so no request ever waits on the store for it.
        await app.Services.GetRequiredService<SecretHasher>().HashAsync(string.Empty).ConfigureAwait(false);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<CatalogOverlay>();
        await CatalogRefresh.RefreshAsync(app.Services.GetRequiredService<CatalogOverlay>(), logger, CancellationToken.None).ConfigureAwait(false);
        app.UseMiddleware<BrowserRequestGuard>();
        app.UseMiddleware<CallerAuthenticationMiddleware>();
    }
}
