using System.Collections.Concurrent;

namespace LlmRouter.Persistence.Stores;

/// <summary>
/// An INSERT of any number of rows, <c>head (@a0, @b0), (@a1, @b1) … tail</c>: its text and parameter names are made
/// once per row count, and its values bound by position, so a batch write spends its time in the database.
/// </summary>
internal sealed class MultiRowInsert(string head, IReadOnlyList<string> columns, string tail)
{
    private readonly ConcurrentDictionary<int, (string Sql, string[] Names)> _made = new();

    /// <summary>The command for <paramref name="rows"/> rows from <paramref name="write"/>, each row's values in column order.</summary>
    public DbCommand Command(StoreWrite write, IReadOnlyList<object?[]> rows)
    {
        var (sql, names) = _made.GetOrAdd(rows.Count, Make);
        var command = write.Command(sql);
        var at = 0;
        foreach (var row in rows)
        {
            foreach (var value in row)
            {
                command.SetAt(at, names[at], value);
                at++;
            }
        }
        return command;
    }

    private (string, string[]) Make(int rows)
    {
        var names = new string[rows * columns.Count];
        var values = new string[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                names[r * columns.Count + c] = "@" + columns[c] + r.ToString(CultureInfo.InvariantCulture);
            }
            values[r] = "(" + string.Join(", ", names, r * columns.Count, columns.Count) + ")";
        }
        return (head + " VALUES " + string.Join(", ", values) + " " + tail, names);
    }
}
