using System.Text;
using System.Text.Json;
using Xunit;

namespace LlmRouter.Toml.Tests;

/// <summary>Runs every case of the shared toml-test TOML 1.0.0 selection against the parser.</summary>
public sealed class ConformanceTests
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = TomlTaggedJson.MaxJsonDepth };

    public static TheoryData<string> ValidCases => new(TomlTestSuite.ValidCases);

    public static TheoryData<string> InvalidCases => new(TomlTestSuite.InvalidCases);

    [Fact]
    public void Suite_has_the_documented_number_of_cases()
    {
        var valid = TomlTestSuite.ValidCases.ToList();
        Assert.Equal(210, valid.Count);
        Assert.Equal(499, TomlTestSuite.InvalidCases.Count());
        Assert.All(valid, name => Assert.Contains(name + ".json", TomlTestSuite.Listing));
        Assert.All(TomlTestSuite.Listing, entry => Assert.True(File.Exists(TomlTestSuite.PathOf(entry)), entry));
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Valid_case_decodes_to_the_expected_tagged_json(string name)
    {
        var input = TomlTestSuite.ReadInput(name);

        var document = TomlParser.Parse(input, name);

        AssertMatchesExpected(name, document);
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Valid_case_parsed_from_a_string_gives_the_same_result(string name)
    {
        var input = TomlTestSuite.ReadInput(name);

        var fromString = TomlParser.Parse(Encoding.UTF8.GetString(input), name);

        Assert.Equal(TomlTaggedJson.ToJson(TomlParser.Parse(input, name)), TomlTaggedJson.ToJson(fromString));
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Invalid_case_is_rejected_with_a_TomlException(string name)
    {
        var input = TomlTestSuite.ReadInput(name);

        var error = Record.Exception(() => TomlParser.Parse(input, name));

        var tomlError = Assert.IsType<TomlException>(error);
        Assert.StartsWith($"{name}:{tomlError.Line}:{tomlError.Column}: ", tomlError.Message, StringComparison.Ordinal);
        Assert.True(tomlError.Line >= 1 && tomlError.Column >= 1, tomlError.Message);
    }

    private static void AssertMatchesExpected(string name, TomlTable document)
    {
        using var expected = JsonDocument.Parse(TomlTestSuite.ReadExpected(name), JsonOptions);
        using var actual = JsonDocument.Parse(TomlTaggedJson.ToJson(document), JsonOptions);
        var difference = TaggedJsonComparer.FindDifference(expected.RootElement, actual.RootElement);
        Assert.True(difference is null, difference);
    }
}
