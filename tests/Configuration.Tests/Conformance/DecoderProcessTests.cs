namespace LlmRouter.Configuration.Tests.Conformance;

/// <summary>The TomlDecoder executable speaks the toml-test protocol: checked end to end on a spread of the cases.</summary>
public sealed class DecoderProcessTests
{
    // Every 10th case keeps each category covered at a fraction of the cost of a process per case.
    private const int SampleStride = 10;

    public static TheoryData<string> ValidSample => new(TomlTestSuite.ValidCases.Where((_, index) => index % SampleStride == 0));

    public static TheoryData<string> InvalidSample =>
        new(TomlTestSuite.InvalidCases.Except(TomlTestSuite.LegalInToml11).Where((_, index) => index % SampleStride == 0));

    [Theory]
    [MemberData(nameof(ValidSample))]
    public async Task Decoder_prints_the_tagged_json_and_exits_0_for_a_valid_case(string name)
    {
        var result = await Decoder.RunProcessAsync(TomlTestSuite.ReadInput(name));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.StandardError);
        var difference = Decoder.DifferenceFromExpected(name, result.StandardOutput);
        Assert.True(difference is null, difference);
    }

    [Theory]
    [MemberData(nameof(InvalidSample))]
    public async Task Decoder_reports_the_errors_and_exits_1_for_an_invalid_case(string name)
    {
        var result = await Decoder.RunProcessAsync(TomlTestSuite.ReadInput(name));

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.StandardOutput);
        Assert.Matches(ConformanceTests.ErrorLines(), result.StandardError);
    }
}
