using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>A frequent write on one pooled connection; its commands are made per write and disposed with it.</summary>
internal sealed class PostgresWrite(NpgsqlConnection connection) : StoreWrite
{
    private readonly List<NpgsqlCommand> _commands = [];
    private NpgsqlTransaction? _transaction;

    public override DbCommand Command(string sql)
    {
        var command = new NpgsqlCommand(sql, connection, _transaction);
        _commands.Add(command);
        return command;
    }

    public override async Task BeginAsync(CancellationToken cancellationToken = default) =>
        _transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    public override Task CommitAsync(CancellationToken cancellationToken = default) =>
        (_transaction ?? throw new InvalidOperationException("no transaction was begun")).CommitAsync(cancellationToken);

    /// <summary>Rolls back a transaction left uncommitted and returns the connection to the pool.</summary>
    public override async ValueTask DisposeAsync()
    {
        foreach (var command in _commands)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
        }
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
