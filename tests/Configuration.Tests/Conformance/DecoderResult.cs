namespace LlmRouter.Configuration.Tests.Conformance;

/// <summary>What one TomlDecoder run produced.</summary>
internal sealed record DecoderResult(int ExitCode, string StandardOutput, string StandardError);
