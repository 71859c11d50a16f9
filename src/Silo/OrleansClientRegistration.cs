using LlmRouter.Persistence;
using LlmRouter.Persistence.Postgres;
using Orleans.Configuration;

namespace LlmRouter.Silo;

/// <summary>
/// Makes an <c>api</c> node an Orleans client of the cluster on its PostgreSQL database: it finds the silos' gateways
/// in the AdoNet membership table, hosts no grain, and every grain call of the HTTP API goes through it.
/// </summary>
internal static class OrleansClientRegistration
{
    /// <summary>How long a front-end keeps looking for a silo's gateway at start (containers start in any order).</summary>
    private static readonly TimeSpan GatewayStartWait = TimeSpan.FromSeconds(60);

    /// <summary>Refuses a front-end on the embedded store before anything is opened: it would have no cluster to join.</summary>
    public static void RefuseEmbeddedFrontEnd(RouterConfig config, string workingDirectory)
    {
        if (NodeRoles.IsFrontEnd(config.Cluster.Roles) && DatabaseUrl.Parse(config.Server.DatabaseUrl, workingDirectory).Kind != DatabaseKind.PostgreSql)
        {
            throw new ConfigException(
                "role 'api' joins a cluster through PostgreSQL: set LLM_ROUTER_DATABASE_URL=postgresql://… (the embedded SQLite store has no cluster to join)");
        }
    }

    public static void AddRouterClient(this WebApplicationBuilder builder, ClusterConfig cluster, DatabaseUrl database)
    {
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = OrleansSiloRegistration.ServiceId;
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = OrleansSiloRegistration.NpgsqlInvariant;
                options.ConnectionString = PostgresConnectionString.FromUrl(database.Target);
            });
            var giveUp = DateTime.UtcNow + GatewayStartWait;
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                if (DateTime.UtcNow > giveUp)
                {
                    return false;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                return true;
            });
        });
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
    }
}
