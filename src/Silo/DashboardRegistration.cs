using LlmRouter.Abstractions.Configuration;
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

    public static void MapRouterDashboard(this WebApplication app, ClusterConfig cluster)
    {
        if (cluster.Dashboard)
        {
            app.MapOrleansDashboard(Path).AddEndpointFilter<AdminOnlyFilter>();
        }
    }
}
