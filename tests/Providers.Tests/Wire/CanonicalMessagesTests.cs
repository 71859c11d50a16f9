
namespace LlmRouter.Providers.Tests.Wire;

public sealed class CanonicalMessagesTests
{
    private static JsonObject Body(string messages) => (JsonObject)JsonNode.Parse($$"""{"messages":{{messages}}}""")!;

    [Fact]
    public void Tool_results_learn_the_function_name_of_the_call_they_answer()
    {
        var messages = CanonicalMessages.Read(Body("""
            [{"role":"developer","content":"d"},"not a message",
             {"role":"assistant","tool_calls":[{"id":"a","function":{"name":"first","arguments":""}},{"function":{"name":"nameless"}}]},
             {"role":"tool","tool_call_id":"a","content":[{"type":"text","text":"r"}]},{"role":"tool","tool_call_id":"b"}]
            """), "x").ToList();

        Assert.Equal(["system", "assistant", "tool", "tool"], messages.Select(m => m.Role));
        Assert.Equal([("a", "first", "{}"), (null, "nameless", "{}")], messages[1].ToolCalls.Select(c => (c.Id, c.Name, c.Arguments.ToJsonString())));
        Assert.Equal(("first", "a", "r"), (messages[2].ToolName, messages[2].ToolCallId, messages[2].Text));
        Assert.Null(messages[3].ToolName);
    }

    [Fact]
    public void User_parts_are_read_lazily_so_a_bad_part_fails_where_it_stands()
    {
        var parts = CanonicalMessages.UserParts(JsonNode.Parse("""[{"type":"text","text":"a"},{"type":"image_url","image_url":"u"},{"type":"audio"}]"""), "y");

        using var reader = parts.GetEnumerator();
        Assert.True(reader.MoveNext());
        Assert.Equal(new CanonicalPart("a", null), reader.Current);
        Assert.True(reader.MoveNext());
        Assert.Equal(new CanonicalPart(null, "u"), reader.Current);
        var failure = Assert.Throws<TranslationFailure>(() => reader.MoveNext());
        Assert.Equal("content parts of type 'audio' cannot be sent to y", failure.Message);
    }

    [Fact]
    public void Values_where_objects_belong_fail_the_translation_or_read_as_absent()
    {
        var body = (JsonObject)JsonNode.Parse("""
            {"messages":[{"role":"assistant","content":["x"],"tool_calls":["call"]}],"tools":["f"],"tool_choice":7,"response_format":"json"}
            """)!;

        var failure = Assert.Throws<TranslationFailure>(() => CanonicalMessages.UserParts(JsonNode.Parse("""["hello"]"""), "z").ToList());
        var message = Assert.Single(CanonicalMessages.Read(body, "z"));

        Assert.Equal("content parts of type '' cannot be sent to z", failure.Message);
        Assert.Equal("", message.Text);
        Assert.Equal([(null, "", "{}")], message.ToolCalls.Select(c => (c.Id, c.Name, c.Arguments.ToJsonString())));
        Assert.Empty(CanonicalOptions.FunctionDeclarations(body, "parameters", p => p)!);
        Assert.Null(CanonicalOptions.ToolChoice(body));
        Assert.Equal((null, null), CanonicalOptions.ResponseFormat(body));
    }

    [Fact]
    public void Options_read_limits_stops_choices_and_formats()
    {
        var body = (JsonObject)JsonNode.Parse("""
            {"max_tokens":10,"stop":["x"],"tool_choice":{"function":{"name":"f"}},"response_format":{"type":"json_schema","json_schema":{}}}
            """)!;

        Assert.Equal(10, CanonicalOptions.MaxTokens(body));
        Assert.Equal("""["x"]""", CanonicalOptions.StopSequences(body)!.ToJsonString());
        Assert.Equal(new CanonicalToolChoice(ToolChoiceMode.Function, "f"), CanonicalOptions.ToolChoice(body));
        Assert.Equal(("json_schema", null), CanonicalOptions.ResponseFormat(body));
        Assert.Null(CanonicalOptions.FunctionDeclarations(body, "parameters", p => p));
    }
}
