using System.Globalization;

namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>
/// The log's endpoint column: a database made before it gains it, its rows given the endpoint their client format
/// implies where only one endpoint spoke it (openai: chat completions, anthropic: messages), native rows NULL.
/// </summary>
public abstract class EndpointColumnConformance(SchemaTestDatabase database) : SchemaConformance(database)
{
    /// <summary>The step that adds the column.</summary>
    protected abstract int Step { get; }

    [StoreFact]
    public async Task An_old_databases_rows_get_the_endpoint_their_client_format_implies()
    {
        var dialect = Dialect;
        var step = Step.ToString(CultureInfo.InvariantCulture);
        await SchemaSql.ExecuteAsync(dialect, "DELETE FROM invocations");
        await SchemaSql.ExecuteAsync(dialect, "ALTER TABLE invocations DROP COLUMN endpoint");
        await SchemaSql.ExecuteAsync(dialect, "DELETE FROM schema_migrations WHERE version = " + step);
        foreach (var format in new[] { "openai", "anthropic", "native" })
        {
            await SchemaSql.ExecuteAsync(dialect, $"""
                INSERT INTO invocations (created_at_ms, client_format, provider, model, status, http_status, prompt_tokens,
                    completion_tokens, total_tokens, cost_nano_usd, latency_ms, stream, attempts)
                VALUES (1, '{format}', 'p', 'm', 'success', 200, 0, 0, 0, 0, 0, FALSE, 1)
                """);
        }

        await MigrateAsync();

        Assert.Equal(["/v1/chat/completions", "/v1/messages", null], await SchemaSql.TextsAsync(dialect, "SELECT endpoint FROM invocations ORDER BY id"));
        Assert.Equal(1L, await SchemaSql.ScalarAsync(dialect, "SELECT count(*) FROM schema_migrations WHERE version = " + step));
    }
}
