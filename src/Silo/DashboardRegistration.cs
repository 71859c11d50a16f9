using LlmRouter.Api.Auth;
using Orleans.Dashboard;

namespace LlmRouter.Silo;

/// <summary>
/// Orleans' dashboard at /dashboard when <c>[cluster] dashboard</c> is on: the silo collects its counters and grain
/// call profiles, and its pages and data answer admins only (an admin key, or a local caller under the localhost rule).
/// </summary>
internal static class DashboardRegistration
{
    public const string Path = "/dashboard";

    public static void AddRouterDashboard(this ISiloBuilder silo, ClusterConfig cluster)
    {
        if (cluster.Dashboard)
        {
            silo.AddDashboard();
        }
    }

    /// <summary>Silos only: an <c>api</c> front-end hosts no silo, so it has no dashboard to serve (its /dashboard is 404).</summary>
    public static void MapRouterDashboard(this WebApplication app, ClusterConfig cluster)
    {
        if (cluster.Dashboard && !NodeRoles.IsFrontEnd(cluster.Roles))
        {
            app.MapOrleansDashboard(Path).AddEndpointFilter<AdminOnlyFilter>();
        }
    }
}
