namespace LlmRouter.Persistence.Stores;

/// <summary>
/// One frequent write (see <see cref="StoreDialect.BeginFrequentWriteAsync"/>). Commands come from <see cref="Command"/>
/// and run in the transaction of <see cref="BeginAsync"/> when there is one; disposing the write rolls back what it
/// left uncommitted and lets the next writer in.
/// </summary>
public abstract class StoreWrite : IAsyncDisposable
{
    /// <summary>
    /// A command for <paramref name="sql"/>: set its parameters (see <see cref="CommandParameters.Set"/>) and execute it;
    /// never dispose it. SQLite keeps it prepared across writes, keyed by the text, so the text must be fixed with every
    /// value in a parameter.
    /// </summary>
    public abstract DbCommand Command(string sql);

    public abstract Task BeginAsync(CancellationToken cancellationToken = default);

    public abstract Task CommitAsync(CancellationToken cancellationToken = default);

    public abstract ValueTask DisposeAsync();
}
