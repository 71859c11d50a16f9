using System.Collections;

namespace LlmRouter.Abstractions.Configuration;

/// <summary>
/// The environment variables a node runs with (the process environment plus a .env file), captured once so
/// that components and tests never read process-global state directly.
/// </summary>
public sealed class RouterEnvironment
{
    private readonly Dictionary<string, string> _variables;

    public RouterEnvironment(IEnumerable<KeyValuePair<string, string>> variables)
    {
        _variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            _variables[name] = value;
        }
    }

    public static RouterEnvironment FromProcess()
    {
        var variables = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                variables.Add(new(name, value));
            }
        }
        return new RouterEnvironment(variables);
    }

    public string? Get(string name) => _variables.TryGetValue(name, out var value) ? value : null;

    public bool Contains(string name) => _variables.ContainsKey(name);

    /// <summary>The names of every variable set.</summary>
    public IEnumerable<string> Names => _variables.Keys;

    /// <summary>A copy with the given variables added where they are not already set.</summary>
    public RouterEnvironment WithDefaults(IEnumerable<KeyValuePair<string, string>> defaults)
    {
        var merged = new Dictionary<string, string>(_variables, StringComparer.Ordinal);
        foreach (var (name, value) in defaults)
        {
            merged.TryAdd(name, value);
        }
        return new RouterEnvironment(merged);
    }
}
