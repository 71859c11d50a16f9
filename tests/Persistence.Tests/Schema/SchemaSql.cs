using System.Globalization;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>Plain SQL on a store's database, for the schema tests that shape an old database and look at what migrating did.</summary>
internal static class SchemaSql
{
    public static async Task ExecuteAsync(StoreDialect dialect, string sql)
    {
        await using var connection = await dialect.OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<long> ScalarAsync(StoreDialect dialect, string sql)
    {
        await using var connection = await dialect.OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of every row <paramref name="sql"/> selects, as text (null for NULL).</summary>
    public static async Task<List<string?>> TextsAsync(StoreDialect dialect, string sql)
    {
        await using var connection = await dialect.OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var texts = new List<string?>();
        while (await reader.ReadAsync())
        {
            texts.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }
        return texts;
    }
}
