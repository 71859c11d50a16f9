namespace LlmRouter.Persistence;

/// <summary>Binding the parameters of a command, including one that is executed many times with new values.</summary>
public static class CommandParameters
{
    /// <summary>Sets parameter <paramref name="name"/> (added on first use; null binds SQL NULL); answers the command.</summary>
    public static TCommand Set<TCommand>(this TCommand command, string name, object? value)
        where TCommand : DbCommand
    {
        ArgumentNullException.ThrowIfNull(command);
        var index = command.Parameters.IndexOf(name);
        return command.SetAt(index < 0 ? command.Parameters.Count : index, name, value);
    }

    /// <summary>
    /// Sets the parameter at <paramref name="index"/>, added as <paramref name="name"/> on first use: for a command with
    /// many parameters, set each time in one order, where finding each by name would cost a search of them all.
    /// </summary>
    public static TCommand SetAt<TCommand>(this TCommand command, int index, string name, object? value)
        where TCommand : DbCommand
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameters = command.Parameters;
        if (index < parameters.Count)
        {
            parameters[index].Value = value ?? DBNull.Value;
            return command;
        }
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        parameters.Add(parameter);
        return command;
    }

    /// <summary>Sets every parameter of <paramref name="values"/>; answers the command.</summary>
    public static TCommand SetAll<TCommand>(this TCommand command, IEnumerable<(string Name, object? Value)> values)
        where TCommand : DbCommand
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (name, value) in values)
        {
            command.Set(name, value);
        }
        return command;
    }
}
