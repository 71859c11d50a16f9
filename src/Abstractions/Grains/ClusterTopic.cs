namespace LlmRouter.Abstractions.Grains;

/// <summary>The topics of the cluster's change feed (<see cref="IChangeFeedGrain"/>): what a node rereads when one moves.</summary>
public enum ClusterTopic
{
    /// <summary>Providers and models changed over REST (rows in the catalog store).</summary>
    Catalog,

    /// <summary>Routing rules changed over REST (rows in the routing rule store).</summary>
    Rules,

    /// <summary>The router toggle (<see cref="IRouterToggleGrain"/>).</summary>
    Toggle,

    /// <summary>Client addresses locked out for guessing credentials (<see cref="ICredentialLockoutsGrain"/>).</summary>
    Lockouts,
}
