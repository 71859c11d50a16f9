namespace LlmRouter.Abstractions;

/// <summary>Reports whether the node's store answers.</summary>
public interface IStoreHealth
{
    /// <summary>The store's kind: sqlite or postgresql.</summary>
    string Kind { get; }

    ValueTask<StoreHealthReport> CheckAsync(CancellationToken cancellationToken = default);
}
