using System.Diagnostics;
using System.Globalization;

namespace ClusterBench;

/// <summary>
/// CPU time spent by the node processes, by this process (the clients and the fake upstream: what the nodes compete
/// with for the same cores) and, when its postmaster's process id is given, by the PostgreSQL server (its processes,
/// and the exited backends it reaped). On a machine whose cores other work shares, CPU per request holds steadier
/// than requests per second.
/// </summary>
internal sealed class CpuMeter(Func<IEnumerable<Process>> nodes, int? postmaster)
{
    /// <summary>Linux's clock ticks per second (USER_HZ), the unit of /proc/PID/stat's times.</summary>
    private const double TicksPerSecond = 100;

    public (TimeSpan Nodes, TimeSpan Postgres, TimeSpan Bench) Read()
    {
        var nodeTime = TimeSpan.Zero;
        foreach (var process in nodes())
        {
            process.Refresh();
            nodeTime += process.TotalProcessorTime;
        }
        using var bench = Process.GetCurrentProcess();
        return (nodeTime, postmaster is { } pid ? PostgresTime(pid) : TimeSpan.Zero, bench.TotalProcessorTime);
    }

    private static TimeSpan PostgresTime(int postmaster)
    {
        long ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // exited meanwhile
            }
            // Fields after the command name (which may hold spaces) in parentheses: state ppid ... utime(14) stime(15) cutime(16) cstime(17).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (pid == postmaster)
            {
                ticks += Sum(fields, 11, 14);
            }
            else if (parent == postmaster)
            {
                ticks += Sum(fields, 11, 12);
            }
        }
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static long Sum(string[] fields, int from, int to)
    {
        long sum = 0;
        for (var i = from; i <= to; i++)
        {
            sum += long.Parse(fields[i], CultureInfo.InvariantCulture);
        }
        return sum;
    }
}
