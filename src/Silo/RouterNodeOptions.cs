namespace LlmRouter.Silo;

/// <summary>What a node is started with: its environment, working directory and command-line overrides.</summary>
public sealed record RouterNodeOptions
{
    public RouterEnvironment Environment { get; init; } = RouterEnvironment.FromProcess();
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();
    public string? ConfigPath { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }

    /// <summary>Parses <c>--config/-c PATH</c>, <c>--host/-i HOST</c> and <c>--port/-p PORT</c>.</summary>
    public static RouterNodeOptions FromArgs(IReadOnlyList<string> args)
    {
        var options = new RouterNodeOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"option {args[i]} needs a value");
            options = args[i] switch
            {
                "--config" or "-c" => options with { ConfigPath = Next() },
                "--host" or "--ip" or "-i" => options with { Host = Next() },
                "--port" or "-p" => options with
                {
                    Port = int.TryParse(Next(), System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
                        ? port
                        : throw new ArgumentException($"--port needs a number from 0 to 65535, not '{args[i]}'"),
                },
                var unknown => throw new ArgumentException($"unknown option '{unknown}' (use --config PATH, --host HOST, --port PORT)"),
            };
        }
        return options;
    }
}
