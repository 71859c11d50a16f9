using System.Text;
using Xunit;

namespace LlmRouter.Toml.Tests;

/// <summary>The nesting limit turns hostile input into a <see cref="TomlException"/> instead of a stack overflow.</summary>
public sealed class NestingDepthTests
{
    private const int Limit = TomlParser.MaxNestingDepth;

    [Theory]
    [InlineData('[', ']')]
    [InlineData('{', '}')]
    public void Nesting_up_to_the_limit_parses_and_encodes(char open, char close)
    {
        // The value of root key "a" is level 1, so Limit brackets end exactly at the limit.
        var document = TomlParser.Parse(Nested(Limit, open, close));

        Assert.Contains("\"a\"", TomlTaggedJson.ToJson(document), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('[', ']', Limit + 1)]
    [InlineData('{', '}', Limit + 1)]
    [InlineData('[', ']', 200_000)]
    [InlineData('{', '}', 200_000)]
    public void Nesting_beyond_the_limit_is_a_TomlException(char open, char close, int depth)
    {
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse(Nested(depth, open, close)));

        Assert.StartsWith("nesting is too deep", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_deep_brackets_are_a_TomlException()
    {
        Assert.Throws<TomlException>(() => TomlParser.Parse("a = " + new string('[', 200_000)));
    }

    [Fact]
    public void Tables_created_by_dotted_keys_and_headers_count_towards_the_limit()
    {
        // A dotted key of n segments creates n - 1 tables; a header of n segments creates n.
        TomlParser.Parse($"{DottedKey(Limit + 1)} = 1");
        TomlParser.Parse($"[{DottedKey(Limit)}]");
        TomlParser.Parse($"[[{DottedKey(Limit - 1)}]]");

        Assert.Throws<TomlException>(() => TomlParser.Parse($"{DottedKey(Limit + 2)} = 1"));
        Assert.Throws<TomlException>(() => TomlParser.Parse($"[{DottedKey(Limit + 1)}]"));
        Assert.Throws<TomlException>(() => TomlParser.Parse($"[[{DottedKey(Limit)}]]"));
        Assert.Throws<TomlException>(() => TomlParser.Parse($"[{DottedKey(Limit - 1)}]\nk = [[]]"));
    }

    private static string DottedKey(int segments) => string.Join('.', Enumerable.Repeat("k", segments));

    private static string Nested(int depth, char open, char close)
    {
        var text = new StringBuilder("a = ");
        for (var i = 0; i < depth; i++)
        {
            text.Append(open);
            if (open == '{')
            {
                text.Append(i + 1 < depth ? "b = " : string.Empty);
            }
        }

        text.Append(close, depth);
        return text.ToString();
    }
}
