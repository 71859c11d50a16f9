namespace LlmRouter.Configuration;

/// <summary>
/// Reads a .env file: <c>NAME=value</c> lines, optional <c>export</c>, <c>#</c> comments, single quotes taken
/// literally, double quotes with \n, \t, \" and \\ escapes, unquoted values ending at an inline " #" comment.
/// </summary>
public static class DotEnvFile
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text)
    {
        var variables = new List<KeyValuePair<string, string>>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }
            var name = line[..equals].Trim();
            if (!IsName(name))
            {
                continue;
            }
            variables.Add(new(name, Value(line[(equals + 1)..].Trim())));
        }
        return variables;
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Read(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : [];

    private static string Value(string raw)
    {
        if (raw.Length >= 2 && raw[0] == '\'' && raw.IndexOf('\'', 1) is var endSingle and > 0)
        {
            return raw[1..endSingle];
        }
        if (raw.Length >= 2 && raw[0] == '"')
        {
            var builder = new System.Text.StringBuilder();
            for (var i = 1; i < raw.Length; i++)
            {
                var c = raw[i];
                if (c == '"')
                {
                    return builder.ToString();
                }
                if (c == '\\' && i + 1 < raw.Length)
                {
                    i++;
                    builder.Append(raw[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                    continue;
                }
                builder.Append(c);
            }
            return builder.ToString();
        }
        var comment = raw.IndexOf(" #", StringComparison.Ordinal);
        return (comment >= 0 ? raw[..comment] : raw).Trim();
    }

    private static bool IsName(string name) =>
        name.Length > 0 && !char.IsDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.');
}
