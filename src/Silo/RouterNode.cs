using LlmRouter.Abstractions.Catalog;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Catalog;
using LlmRouter.Api.Errors;
using LlmRouter.Api.Monitoring;
using LlmRouter.Api.Routing;
using LlmRouter.Api.Upstream;
using LlmRouter.LocalModels;
using LlmRouter.Providers;
using LlmRouter.Providers.Http;

namespace LlmRouter.Silo;

/// <summary>The composition root: configuration, store, the Orleans silo, providers and the HTTP API of one node.</summary>
public static partial class RouterNode
{
    public static async Task<WebApplication> BuildAsync(RouterNodeOptions options)
    {
        var loaded = RouterConfigLoader.Load(options.Environment, options.WorkingDirectory, options.ConfigPath);
        var server = loaded.Config.Server with
        {
            Host = options.Host ?? loaded.Config.Server.Host,
            Port = options.Port ?? loaded.Config.Server.Port,
        };
        loaded = loaded with { Config = loaded.Config with { Server = server } };

        // router.toml is the configuration; the host's appsettings.json reload would put an inotify watch on the
        // working directory, where the SQLite log is written many times a second.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = options.WorkingDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevels.Parse(server.LogLevel));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
        });
        builder.WebHost.UseUrls($"http://{FormatHost(server.Host)}:{server.Port}");

        var services = builder.Services;
        services.AddSingleton(loaded.Environment);
        services.AddSingleton(loaded);
        services.AddSingleton<RouterConfigWatcher>();
        services.AddSingleton(sp => new CatalogOverlay(sp.GetRequiredService<RouterConfigWatcher>(), sp.GetRequiredService<ICatalogStore>()));
        services.AddSingleton<IRouterConfigSource>(sp => sp.GetRequiredService<CatalogOverlay>());
        services.AddSingleton(new NodeInfo(loaded.Config.Cluster.NodeId ?? Environment.MachineName));
        OrleansClientRegistration.RefuseEmbeddedFrontEnd(loaded.Config, options.WorkingDirectory);
        var database = await services.AddRouterStorageAsync(server.DatabaseUrl, options.WorkingDirectory);
        if (NodeRoles.IsFrontEnd(loaded.Config.Cluster.Roles))
        {
            builder.AddRouterClient(loaded.Config.Cluster, database);
        }
        else
        {
            builder.AddRouterSilo(loaded.Config, database);
        }
        services.AddSingleton<UpstreamHttpClients>();
        services.AddProviderAdapters();
        services.AddChatUpstream<ChatUpstream>();
        services.AddLocalModels();
        services.AddRouterApi();
        services.AddRouterMonitoring();

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LlmRouter");
        foreach (var warning in loaded.Warnings)
        {
            LogConfigWarning(logger, warning.ToString());
        }
        app.UseMiddleware<UnhandledErrorMiddleware>();
        await app.UseRouterAccessAsync();
        await app.UseRouterRoutingAsync();
        app.MapRouterApi();
        app.MapRouterDashboard(loaded.Config.Cluster);
        app.MapUnmatchedRoutes();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            LogStarted(logger, string.Join(", ", app.Urls), loaded.Config.SourcePath ?? "(built-in defaults)");
        });
        return app;
    }

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogConfigWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "LlmRouter listening on {Urls} with configuration {Config}")]
    private static partial void LogStarted(ILogger logger, string urls, string config);
}
