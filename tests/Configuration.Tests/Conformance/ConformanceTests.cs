using System.Text.RegularExpressions;

namespace LlmRouter.Configuration.Tests.Conformance;

/// <summary>
/// Every case of the shared toml-test TOML 1.0 selection, decoded through the path router.toml is read by: valid
/// cases give the expected tagged JSON, invalid ones are refused with positioned errors, except the cases TOML 1.1
/// made legal.
/// </summary>
public sealed partial class ConformanceTests
{
    public static TheoryData<string> ValidCases => new(TomlTestSuite.ValidCases);

    public static TheoryData<string> InvalidCases => new(TomlTestSuite.InvalidCases.Except(TomlTestSuite.LegalInToml11));

    public static TheoryData<string> LegalInToml11 => new(TomlTestSuite.LegalInToml11);

    [Fact]
    public void Suite_has_the_documented_number_of_cases()
    {
        var valid = TomlTestSuite.ValidCases.ToList();
        var invalid = TomlTestSuite.InvalidCases.ToList();

        Assert.Equal(210, valid.Count);
        Assert.Equal(499, invalid.Count);
        Assert.All(TomlTestSuite.LegalInToml11, name => Assert.Contains(name, invalid));
        Assert.All(valid, name => Assert.Contains(name + ".json", TomlTestSuite.Listing));
        Assert.All(TomlTestSuite.Listing, entry => Assert.True(File.Exists(TomlTestSuite.PathOf(entry)), entry));
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Valid_case_decodes_to_the_expected_tagged_json(string name)
    {
        var result = Decoder.Run(TomlTestSuite.ReadInput(name));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Empty(result.StandardError);
        var difference = Decoder.DifferenceFromExpected(name, result.StandardOutput);
        Assert.True(difference is null, difference);
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Invalid_case_is_refused_with_positioned_errors(string name)
    {
        var result = Decoder.Run(TomlTestSuite.ReadInput(name));

        Assert.True(result.ExitCode == 1, $"accepted: {result.StandardOutput}");
        Assert.Empty(result.StandardOutput);
        Assert.Matches(ErrorLines(), result.StandardError);
    }

    [Theory]
    [MemberData(nameof(LegalInToml11))]
    public void Case_that_TOML_1_1_made_legal_is_accepted_by_design(string name)
    {
        var result = Decoder.Run(TomlTestSuite.ReadInput(name));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.StartsWith("{", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void The_deepest_document_the_reader_accepts_decodes()
    {
        // A dotted key of n segments nests n - 1 tables below the document.
        var key = string.Join('.', Enumerable.Repeat("k", Toml.TomlDocumentReader.MaxNestingDepth + 1));

        var result = Decoder.Run(System.Text.Encoding.UTF8.GetBytes($"{key} = 1\n"));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.EndsWith("{\"k\":{\"type\":\"integer\",\"value\":\"1\"}" + new string('}', Toml.TomlDocumentReader.MaxNestingDepth + 1), result.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>One or more lines of "line:column: reason" (no file name: the decoder reads standard input).</summary>
    [GeneratedRegex(@"\A(\d+:\d+: \S[^\n]*\n)+\z")]
    internal static partial Regex ErrorLines();
}
