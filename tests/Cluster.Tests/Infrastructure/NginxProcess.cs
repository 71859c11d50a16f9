using System.Globalization;
using System.Text;

namespace LlmRouter.Cluster.Tests.Infrastructure;

/// <summary>
/// nginx in the foreground with its own prefix, pid, log and temp paths, load-balancing loopback router nodes the
/// way deploy/cluster/nginx.conf does in docker-compose.
/// </summary>
internal sealed class NginxProcess : IDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private NginxProcess(ChildProcess process, int port, string directory)
    {
        Process = process;
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
        Directory = directory;
    }

    public ChildProcess Process { get; }
    public Uri BaseUrl { get; }
    public string Directory { get; }

    public static async Task<NginxProcess> StartAsync(string directory, IEnumerable<int> nodePorts)
    {
        System.IO.Directory.CreateDirectory(directory);
        // Workers may run as an unprivileged user when the tests run as root.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
        }
        var port = FreePorts.Next();
        var servers = new StringBuilder();
        foreach (var nodePort in nodePorts)
        {
            servers.Append(CultureInfo.InvariantCulture, $"        server 127.0.0.1:{nodePort} max_fails=1 fail_timeout=10s;\n");
        }
        var config = $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 2048; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                upstream llm_router {
            {{servers}}        keepalive 64;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://llm_router;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        proxy_next_upstream error timeout;
                        proxy_connect_timeout 2s;
                        proxy_read_timeout 60s;
                        proxy_buffering off;
                    }
                }
            }
            """;
        var path = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(path, config);
        var process = new ChildProcess("nginx", Binary, ["-p", directory + "/", "-c", path, "-e", Path.Combine(directory, "error.log")], directory);
        var nginx = new NginxProcess(process, port, directory);
        await nginx.WaitReadyAsync(TimeSpan.FromSeconds(20));
        return nginx;
    }

    public void Dispose() => Process.Dispose();

    private async Task WaitReadyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited: {Process}\n{ReadErrorLog()}");
            }
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"nginx did not proxy /health within {limit.TotalSeconds} s: {Process}\n{ReadErrorLog()}");
    }

    private string ReadErrorLog()
    {
        var log = Path.Combine(Directory, "error.log");
        return File.Exists(log) ? File.ReadAllText(log) : "";
    }
}
