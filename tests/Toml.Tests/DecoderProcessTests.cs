using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace LlmRouter.Toml.Tests;

/// <summary>Checks the toml-test decoder protocol end to end on a spread of the conformance cases.</summary>
public sealed partial class DecoderProcessTests
{
    // Every 4th case keeps each category covered at a fraction of the cost of a process per case.
    private const int SampleStride = 4;

    public static TheoryData<string> ValidSample => new(TomlTestSuite.ValidCases.Where((_, index) => index % SampleStride == 0));

    public static TheoryData<string> InvalidSample => new(TomlTestSuite.InvalidCases.Where((_, index) => index % SampleStride == 0));

    [Theory]
    [MemberData(nameof(ValidSample))]
    public async Task Decoder_prints_the_tagged_json_and_exits_0_for_a_valid_case(string name)
    {
        var result = await DecoderProcess.RunAsync(TomlTestSuite.ReadInput(name));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.StandardError);
        var options = new JsonDocumentOptions { MaxDepth = TomlTaggedJson.MaxJsonDepth };
        using var expected = JsonDocument.Parse(TomlTestSuite.ReadExpected(name), options);
        using var actual = JsonDocument.Parse(result.StandardOutput, options);
        var difference = TaggedJsonComparer.FindDifference(expected.RootElement, actual.RootElement);
        Assert.True(difference is null, difference);
    }

    [Theory]
    [MemberData(nameof(InvalidSample))]
    public async Task Decoder_reports_the_error_and_exits_1_for_an_invalid_case(string name)
    {
        var result = await DecoderProcess.RunAsync(TomlTestSuite.ReadInput(name));

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.StandardOutput);
        Assert.Matches(ErrorLine(), result.StandardError);
    }

    [GeneratedRegex(@"^\d+:\d+: \S[^\n]*\n\z")]
    private static partial Regex ErrorLine();
}
