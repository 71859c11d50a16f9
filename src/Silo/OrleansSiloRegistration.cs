using System.Net;
using System.Net.Sockets;
using LlmRouter.Persistence;
using LlmRouter.Persistence.Postgres;
using LlmRouter.Grains.Limits;
using LlmRouter.Persistence.Sqlite;
using LlmRouter.LocalModels;
using LlmRouter.LocalModels.Placement;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace LlmRouter.Silo;

/// <summary>
/// Makes the node an Orleans silo in the same host as the HTTP API. Embedded (SQLite): one silo with localhost
/// clustering. PostgreSQL: AdoNet clustering on the shared database (its tables are created by the migrations), so
/// every node on that database with the same cluster id joins one cluster. Limit grains persist through the provider
/// named <see cref="LimitGrainOptions.StorageName"/>: the SQLite store embedded, Orleans' AdoNet storage on PostgreSQL.
/// The silo's metadata (key <c>role</c>) says whether it is a plain silo or a gpu silo that may host local-model grains.
/// </summary>
internal static class OrleansSiloRegistration
{
    /// <summary>Orleans' service id: the same for every deployment, so grain state keys never depend on the cluster id.</summary>
    public const string ServiceId = "llm-router";

    /// <summary>The invariant name Orleans' ADO.NET providers load the PostgreSQL driver by.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    public static void AddRouterSilo(this WebApplicationBuilder builder, RouterConfig config, DatabaseUrl database)
    {
        var cluster = config.Cluster;
        builder.Services.AddSingleton(new LimitGrainOptions { PersistInterval = TimeSpan.FromSeconds(cluster.PersistIntervalSeconds) });
        var siloPort = cluster.SiloPort == 0 ? FreePort() : cluster.SiloPort;
        var gatewayPort = cluster.GatewayPort == 0 ? FreePort() : cluster.GatewayPort;
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = ServiceId;
            });
            // The membership table (and the dashboard) name the silo as the node's logs do.
            silo.Configure<SiloOptions>(options => options.SiloName = cluster.NodeId ?? Environment.MachineName);
            // The silo's kind ("silo" or "gpu") and the local models it hosts: what local-model placement filters on.
            silo.UseSiloMetadata(GpuSiloMetadata.For(cluster, config));
            silo.Services.AddLocalModelPlacement();
            silo.AddRouterDashboard(cluster);
            if (database.Kind == DatabaseKind.PostgreSql)
            {
                var connectionString = PostgresConnectionString.FromUrl(database.Target);
                silo.UseAdoNetClustering(options =>
                {
                    options.Invariant = NpgsqlInvariant;
                    options.ConnectionString = connectionString;
                });
                silo.ConfigureEndpoints(cluster.AdvertisedAddress, siloPort, gatewayPort);
                // A silo that stops answering probes is declared dead within a few seconds (Orleans' defaults take
                // tens of seconds), so the grains it held come back on a survivor while calls wait for them.
                silo.Configure<ClusterMembershipOptions>(options =>
                {
                    options.ProbeTimeout = TimeSpan.FromSeconds(1);
                    options.NumMissedProbesLimit = 2;
                });
                silo.AddAdoNetGrainStorage(LimitGrainOptions.StorageName, options =>
                {
                    options.Invariant = NpgsqlInvariant;
                    options.ConnectionString = connectionString;
                });
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: ServiceId, clusterId: cluster.ClusterId);
                silo.Services.AddGrainStorage(LimitGrainOptions.StorageName, (services, _) =>
                    new SqliteGrainStorage(services.GetRequiredService<SqliteGrainStateStore>(), services.GetRequiredService<IGrainStorageSerializer>()));
            }
        });
        // Orleans reports every step of its start at Information, and its placement pipeline every grain placement
        // through Polly's telemetry; the node's own lines are what an operator reads.
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
    }

    // Bound and released at once: another process may take it in between, which a node's start then reports.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
