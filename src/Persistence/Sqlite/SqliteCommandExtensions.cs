using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>Rebinding the parameters of a command that is executed many times.</summary>
public static class SqliteCommandExtensions
{
    /// <summary>Sets parameter <paramref name="name"/> (added on first use; null binds SQL NULL); answers the command.</summary>
    public static SqliteCommand Set(this SqliteCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0)
        {
            parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            parameters[index].Value = value ?? DBNull.Value;
        }
        return command;
    }
}
