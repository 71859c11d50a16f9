using LlmRouter.Abstractions;

namespace LlmRouter.Persistence.Stores;

/// <summary>Checks that the node's database answers a trivial query.</summary>
public sealed class StoreHealth(StoreDialect dialect) : IStoreHealth
{
    public string Kind => dialect.Kind;

    public async ValueTask<StoreHealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await dialect.ScalarAsync("SELECT 1", [], cancellationToken).ConfigureAwait(false);
            return new StoreHealthReport(true);
        }
        catch (Exception exception) when (StoreDialect.IsStoreFault(exception))
        {
            return new StoreHealthReport(false, exception.Message);
        }
    }
}
