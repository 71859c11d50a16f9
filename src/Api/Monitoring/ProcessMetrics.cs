using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LlmRouter.Api.Monitoring;

/// <summary>Process and .NET runtime gauges under their conventional Prometheus names, read at scrape time.</summary>
internal static class ProcessMetrics
{
    public static void Write(PrometheusTextWriter writer, NodeInfo node)
    {
        using var process = Process.GetCurrentProcess();
        Counter(writer, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", process.TotalProcessorTime.TotalSeconds);
        Gauge(writer, "process_resident_memory_bytes", "Resident memory size in bytes.", process.WorkingSet64);
        Gauge(writer, "process_virtual_memory_bytes", "Virtual memory size in bytes.", process.VirtualMemorySize64);
        Gauge(writer, "process_start_time_seconds", "Start time of the process since the Unix epoch in seconds.",
            new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        if (OperatingSystem.IsLinux() && OpenFileDescriptors() is { } fds)
        {
            Gauge(writer, "process_open_fds", "Number of open file descriptors.", fds);
        }
        Gauge(writer, "process_threads", "Number of OS threads in the process.", process.Threads.Count);

        writer.Family("dotnet_gc_collections_total", "counter", "Garbage collections since the process started, by generation.");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            writer.Sample("dotnet_gc_collections_total", [new("generation", "gen" + generation)], PrometheusTextWriter.Number(GC.CollectionCount(generation)));
        }
        Gauge(writer, "dotnet_gc_heap_size_bytes", "Bytes currently thought to be allocated on the managed heap.", GC.GetTotalMemory(forceFullCollection: false));
        Counter(writer, "dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.", GC.GetTotalAllocatedBytes());
        Counter(writer, "dotnet_gc_pause_seconds_total", "Time the garbage collector paused the process, in seconds.", GC.GetTotalPauseDuration().TotalSeconds);
        Gauge(writer, "dotnet_threadpool_threads", "Thread-pool threads that currently exist.", ThreadPool.ThreadCount);
        Gauge(writer, "dotnet_threadpool_queue_length", "Work items queued to the thread pool and not yet started.", ThreadPool.PendingWorkItemCount);
        Counter(writer, "dotnet_threadpool_completed_items_total", "Work items the thread pool has completed.", ThreadPool.CompletedWorkItemCount);
        Counter(writer, "dotnet_monitor_lock_contentions_total", "Times a thread waited for a contended lock.", Monitor.LockContentionCount);

        writer.Family("llm_router_build_info", "gauge", "Always 1; labelled with the build's version and runtime.");
        writer.Sample("llm_router_build_info", [new("version", node.Version), new("runtime", RuntimeInformation.FrameworkDescription)], "1");
    }

    private static void Gauge(PrometheusTextWriter writer, string name, string help, double value)
    {
        writer.Family(name, "gauge", help);
        writer.Sample(name, PrometheusTextWriter.Number(value));
    }

    private static void Counter(PrometheusTextWriter writer, string name, string help, double value)
    {
        writer.Family(name, "counter", help);
        writer.Sample(name, PrometheusTextWriter.Number(value));
    }

    private static int? OpenFileDescriptors()
    {
        try
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
