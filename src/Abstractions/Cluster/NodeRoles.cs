namespace LlmRouter.Abstractions.Cluster;

/// <summary>
/// The roles a node can have (<c>[cluster] roles</c>, <c>LLM_ROUTER_ROLES</c>); a silo's kind (<c>silo</c> or <c>gpu</c>) is
/// also in its silo metadata (key <see cref="SiloMetadataKeys.Role"/>).
/// </summary>
public static class NodeRoles
{
    /// <summary>An Orleans silo that hosts grains and serves the HTTP API.</summary>
    public const string Silo = "silo";

    /// <summary>A front-end: an Orleans client that hosts no grain and serves the HTTP API through grain calls.</summary>
    public const string Api = "api";

    /// <summary>A silo that may host local-model grains (and loads the local models configured on it).</summary>
    public const string Gpu = "gpu";

    /// <summary>The roles of a node started without any.</summary>
    public static IReadOnlyList<string> Default { get; } = [Silo, Gpu];

    /// <summary>Why <paramref name="roles"/> cannot go together, or null when they can.</summary>
    public static string? Problem(IReadOnlyList<string> roles)
    {
        if (roles.FirstOrDefault(r => r is not (Silo or Api or Gpu)) is { } unknown)
        {
            return $"unknown role '{unknown}' (use silo, api or gpu)";
        }
        if (roles.Count == 0)
        {
            return "no role given (use silo, api or gpu)";
        }
        return roles.Contains(Api, StringComparer.Ordinal) && roles.Any(r => r != Api)
            ? "role 'api' (a front-end that hosts no grain) cannot be combined with 'silo' or 'gpu'"
            : null;
    }

    /// <summary>True for a front-end that joins the cluster as an Orleans client.</summary>
    public static bool IsFrontEnd(IReadOnlyList<string> roles) => roles.Contains(Api, StringComparer.Ordinal);

    public static bool IsGpu(IReadOnlyList<string> roles) => roles.Contains(Gpu, StringComparer.Ordinal);
}
