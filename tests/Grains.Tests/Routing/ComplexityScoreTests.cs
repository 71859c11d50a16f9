using System.Text.Json.Nodes;
using LlmRouter.Grains.Routing.Rules;

namespace LlmRouter.Grains.Tests.Routing;

/// <summary>The documented complexity score: length, code blocks and questions, each capped.</summary>
public sealed class ComplexityScoreTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("Hello there", 0)]
    [InlineData("Why? How?", 10)]
    [InlineData("? ? ? ? ? ? ? ?", 20)]
    [InlineData("Is this right？", 5)]
    [InlineData("```py\nx = a if b else c  # is it?\n```", 15)]
    [InlineData("```a``` and ```b``` and ```c```", 30)]
    [InlineData("Fix this:\n```\nunclosed ? block", 15)]
    public void Scores_code_blocks_and_questions_outside_code(string text, int score) =>
        Assert.Equal(score, ComplexityScore.Of(text));

    [Fact]
    public void Length_gives_a_point_per_40_characters_up_to_50()
    {
        Assert.Equal(10, ComplexityScore.Of(new string('x', 400)));
        Assert.Equal(9, ComplexityScore.Of(new string('x', 399)));
        Assert.Equal(50, ComplexityScore.Of(new string('x', 40_000)));
        // Characters are Unicode scalar values: 80 CJK characters, or 80 emoji (two UTF-16 units each), are 2 points.
        Assert.Equal(2, ComplexityScore.Of(new string('你', 80)));
        Assert.Equal(2, ComplexityScore.Of(string.Concat(Enumerable.Repeat("😀", 80))));
    }

    [Fact]
    public void The_maximum_is_100()
    {
        var text = new string('x', 4000) + "```a``` ```b``` ```c```" + "?????";

        Assert.Equal(100, ComplexityScore.Of(text));
    }

    [Fact]
    public void Rules_read_the_last_user_message_with_its_text_parts_joined()
    {
        var body = JsonNode.Parse("""
            {"messages": [
              {"role": "user", "content": "first question?"},
              {"role": "assistant", "content": "an answer"},
              {"role": "user", "content": [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": "data:,"}}, {"type": "text", "text": "here"}]},
              {"role": "assistant", "content": "thinking"}
            ]}
            """)!.AsObject();

        Assert.Equal("look\nhere", LastUserMessage.Of(body));
        Assert.Equal("", LastUserMessage.Of(new JsonObject { ["messages"] = new JsonArray() }));
    }
}
