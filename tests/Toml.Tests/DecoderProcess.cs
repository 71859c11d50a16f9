using System.Diagnostics;

namespace LlmRouter.Toml.Tests;

/// <summary>Runs the TomlDecoder tool (copied next to the test binaries by the project reference) on one input.</summary>
internal static class DecoderProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static string ExecutablePath { get; } =
        Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "TomlDecoder.exe" : "TomlDecoder");

    public static async Task<DecoderResult> RunAsync(byte[] input)
    {
        var startInfo = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {ExecutablePath}.");
        using var timeout = new CancellationTokenSource(Timeout);

        // Read both pipes while writing so a full pipe buffer cannot deadlock the child.
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.BaseStream.WriteAsync(input, timeout.Token);
        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        return new DecoderResult(process.ExitCode, await stdout, await stderr);
    }
}
