using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.ClientFormats;
using LlmRouter.Api.ClientFormats.Responses;
using LlmRouter.Persistence.Sqlite;
using LlmRouter.Persistence.Stores;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Api.Tests.Responses;

/// <summary>The Responses translation on its own: request to canonical chat body, completion to output items, chunks to events.</summary>
public sealed class ResponsesTranslatorTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Request_items_become_chat_messages_with_tool_calls_results_and_response_format()
    {
        var request = JsonNode.Parse("""
            {"model":"up/m","instructions":"Be brief.","max_output_tokens":99,"temperature":0.5,"top_p":0.9,"stream":true,
             "parallel_tool_calls":false,"user":"u1","store":false,"metadata":{"a":"b"},
             "tools":[{"type":"function","name":"f","description":"d","parameters":{"type":"object"},"strict":true}],
             "tool_choice":{"type":"function","name":"f"},
             "text":{"format":{"type":"json_schema","name":"out","schema":{"type":"object"},"strict":true}}}
            """)!.AsObject();
        var (items, _) = ResponsesInputItems.Read(JsonNode.Parse("""
            [{"role":"developer","content":"Rules."},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"Look: "},{"type":"input_image","image_url":"data:image/png;base64,AA==","detail":"low"}]},
             {"type":"reasoning","id":"rs_1","summary":[]},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Calling."}]},
             {"type":"function_call","call_id":"c1","name":"f","arguments":"{\"x\":1}"},
             {"type":"function_call","call_id":"c2","name":"f","arguments":"{}"},
             {"type":"function_call_output","call_id":"c1","output":"one"},
             {"type":"function_call_output","call_id":"c2","output":[{"type":"input_text","text":"two"}]}]
            """));

        var (translation, error) = ResponsesRequestTranslator.Translate(request, items!);

        Assert.Null(error);
        Assert.Empty(translation!.Untranslatable);
        var body = translation.Body;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"model":"up/m",
             "messages":[{"role":"system","content":"Be brief."},{"role":"system","content":"Rules."},
                         {"role":"user","content":[{"type":"text","text":"Look: "},{"type":"image_url","image_url":{"url":"data:image/png;base64,AA==","detail":"low"}}]},
                         {"role":"assistant","content":"Calling.","tool_calls":[
                            {"id":"c1","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}},
                            {"id":"c2","type":"function","function":{"name":"f","arguments":"{}"}}]},
                         {"role":"tool","tool_call_id":"c1","content":"one"},
                         {"role":"tool","tool_call_id":"c2","content":"two"}],
             "max_tokens":99,"temperature":0.5,"top_p":0.9,"user":"u1","parallel_tool_calls":false,"stream":true,
             "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"},"strict":true}}],
             "tool_choice":{"type":"function","function":{"name":"f"}},
             "response_format":{"type":"json_schema","json_schema":{"name":"out","schema":{"type":"object"},"strict":true}}}
            """), body), body!.ToJsonString());
    }

    [Fact]
    public void A_completion_becomes_a_message_then_function_calls_and_a_cut_answer_is_incomplete()
    {
        var completion = JsonNode.Parse("""
            {"choices":[{"message":{"role":"assistant","content":"Checking.","tool_calls":[
                {"id":"c1","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}},
                {"id":"c2","type":"function","function":{"name":"g","arguments":"{}"}}]},"finish_reason":"length"}]}
            """)!.AsObject();
        var draft = new ResponseDraft(JsonNode.Parse("""{"model":"up/m","max_output_tokens":5}""")!.AsObject(), [], "key_1", Created);

        var response = draft.Build(ResponseDraft.Output(completion), new TokenUsage(10, 5), cachedTokens: 4, finishReason: "length");

        var output = response["output"]!.AsArray();
        Assert.Equal(["message", "function_call", "function_call"], output.Select(i => i!["type"]!.GetValue<string>()));
        Assert.Equal("Checking.", output[0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(("c2", "g", "{}"), (output[2]!["call_id"]!.GetValue<string>(), output[2]!["name"]!.GetValue<string>(), output[2]!["arguments"]!.GetValue<string>()));
        Assert.Equal(("incomplete", "max_output_tokens"), (response["status"]!.GetValue<string>(), response["incomplete_details"]!["reason"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"input_tokens":10,"input_tokens_details":{"cached_tokens":4},"output_tokens":5,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":15}
            """), response["usage"]));
        Assert.Equal((draft.Id, Created.ToUnixTimeSeconds(), "up/m", 5), (response["id"]!.GetValue<string>(), response["created_at"]!.GetValue<long>(),
            response["model"]!.GetValue<string>(), response["max_output_tokens"]!.GetValue<int>()));
        Assert.True(response["store"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Chunks_become_the_event_sequence_and_the_finished_response_is_kept()
    {
        var directory = Path.Combine(Path.GetTempPath(), "llmrouter-tests", "responses-" + Guid.NewGuid().ToString("N"));
        await using var database = new SqliteDatabase(Path.Combine(directory, "store.db"));
        await database.MigrateAsync();
        var store = new ResponseStore(database.Dialect);
        var draft = new ResponseDraft(JsonNode.Parse("""{"model":"up/m","input":"hi"}""")!.AsObject(), [], null, Created);
        var encoder = new ResponsesStreamEncoder(draft, store);
        var output = new Capture();
        string[] chunks =
        [
            """{"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}""",
            """{"choices":[{"index":0,"delta":{"content":"lo"}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":"{\"x\""}}]}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]}}]}""",
            """{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
        ];

        foreach (var chunk in chunks)
        {
            encoder.WriteChunk(new ChatStreamChunk { Json = Encoding.UTF8.GetBytes(chunk) }, output);
        }
        await encoder.FinishAsync(new TokenUsage(3, 4), CancellationToken.None);
        encoder.WriteEnd(new TokenUsage(3, 4), output);

        var events = output.Events();
        Assert.Equal(
            ["response.created", "response.in_progress",
             "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
             "response.output_text.done", "response.content_part.done", "response.output_item.done",
             "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
             "response.function_call_arguments.done", "response.output_item.done", "response.completed"],
            events.Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, e.Data["type"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), events.Select(e => e.Data["sequence_number"]!.GetValue<long>()));
        Assert.Equal(("Hello", 0), (events[6].Data["text"]!.GetValue<string>(), events[6].Data["output_index"]!.GetValue<int>()));
        Assert.Equal(("""{"x":1}""", "f", 1), (events[12].Data["arguments"]!.GetValue<string>(), events[12].Data["name"]!.GetValue<string>(), events[12].Data["output_index"]!.GetValue<int>()));
        var completed = events[^1].Data["response"]!;
        Assert.Equal(("completed", 7), (completed["status"]!.GetValue<string>(), completed["usage"]!["total_tokens"]!.GetValue<int>()));
        var kept = await store.FindAsync(draft.Id);
        Assert.True(JsonNode.DeepEquals(completed, JsonNode.Parse(kept!.Response)));
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Text_after_a_function_call_streams_as_a_message_item_of_its_own_after_the_first_one_closed()
    {
        var draft = new ResponseDraft(JsonNode.Parse("""{"model":"up/m","store":false}""")!.AsObject(), [], null, Created);
        var encoder = new ResponsesStreamEncoder(draft, null!);
        var output = new Capture();
        string[] chunks =
        [
            """{"choices":[{"index":0,"delta":{"content":"Checking."}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}}]}""",
            """{"choices":[{"index":0,"delta":{"content":"Done."},"finish_reason":"stop"}]}""",
        ];

        foreach (var chunk in chunks)
        {
            encoder.WriteChunk(new ChatStreamChunk { Json = Encoding.UTF8.GetBytes(chunk) }, output);
        }
        encoder.WriteEnd(new TokenUsage(1, 2), output);

        var events = output.Events();
        var added = events.Where(e => e.Name == "response.output_item.added").Select(e => e.Data["item"]!["type"]!.GetValue<string>());
        Assert.Equal(["message", "function_call", "message"], added);
        var delta = events.Last(e => e.Name == "response.output_text.delta");
        Assert.Equal(("Done.", 2), (delta.Data["delta"]!.GetValue<string>(), delta.Data["output_index"]!.GetValue<int>()));
        var finished = events[^1].Data["response"]!["output"]!.AsArray();
        Assert.Equal(["Checking.", "Done."], finished.Where(i => i!["type"]!.GetValue<string>() == "message").Select(i => i!["content"]![0]!["text"]!.GetValue<string>()));
    }

    /// <summary>Collects what an encoder writes and reads it back as named server-sent events.</summary>
    private sealed class Capture : IBufferWriterTarget
    {
        private readonly ArrayBufferWriter<byte> _bytes = new();

        public void Write(ReadOnlySpan<byte> bytes) => _bytes.Write(bytes);

        public List<(string Name, JsonNode Data)> Events() =>
            Encoding.UTF8.GetString(_bytes.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
                .Select(block => block.Split('\n'))
                .Select(lines => (lines[0]["event: ".Length..], JsonNode.Parse(lines[1]["data: ".Length..])!))
                .ToList();
    }
}
