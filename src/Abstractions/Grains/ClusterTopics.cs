namespace LlmRouter.Abstractions.Grains;

/// <summary>The topics of the cluster's change feed (<see cref="IChangeFeedGrain"/>): what a node rereads when one moves.</summary>
public static class ClusterTopics
{
    /// <summary>Providers and models changed over REST (rows in the catalog store).</summary>
    public const string Catalog = "catalog";

    /// <summary>Routing rules changed over REST (rows in the routing rule store).</summary>
    public const string Rules = "rules";

    /// <summary>The router toggle (<see cref="IRouterToggleGrain"/>).</summary>
    public const string Toggle = "toggle";

    /// <summary>Client addresses locked out for guessing credentials (<see cref="ICredentialLockoutsGrain"/>).</summary>
    public const string Lockouts = "lockouts";
}
