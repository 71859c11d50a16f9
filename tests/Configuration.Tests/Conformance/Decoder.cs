using System.Diagnostics;
using System.Text;
using System.Text.Json;
using TomlDecoder;

namespace LlmRouter.Configuration.Tests.Conformance;

/// <summary>Runs the toml-test decoder on one input: in this process, or as the TomlDecoder executable.</summary>
internal static class Decoder
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static string ExecutablePath { get; } =
        Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "TomlDecoder.exe" : "TomlDecoder");

    public static DecoderResult Run(byte[] input)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exitCode = TomlTestDecoder.Run(new MemoryStream(input), stdout, stderr);
        return new DecoderResult(exitCode, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    public static async Task<DecoderResult> RunProcessAsync(byte[] input)
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

    /// <summary>Null when <paramref name="actualJson"/> is the tagged JSON that case <paramref name="name"/> expects, else the first difference.</summary>
    public static string? DifferenceFromExpected(string name, string actualJson)
    {
        using var expected = JsonDocument.Parse(TomlTestSuite.ReadExpected(name));
        using var actual = JsonDocument.Parse(actualJson);
        return TaggedJsonComparer.FindDifference(expected.RootElement, actual.RootElement);
    }
}
