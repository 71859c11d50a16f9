using System.Diagnostics;
using System.Text.Json.Nodes;

namespace LlmRouter.Api.Tests.Responses;

/// <summary>
/// The OpenAI Agents SDK (npm <c>@openai/agents</c>, in tests/Api.Tests/Agents, installed by run-tests.sh or by this
/// test when missing) runs a one-tool agent through the router's /v1/responses to its final answer, a
/// chat-completions upstream behind it (the Responses translation with its tool calls).
/// </summary>
public sealed class AgentsSdkTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task One_tool_agent_calls_its_tool_and_reaches_the_final_answer()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = ScriptedToolUpstream.Handler("It is 22C and sunny in Paris.");
        await using var router = await RouterHarness.StartAsync(ResponsesApiTests.ChatOnlyToml(fake.BaseUrl));
        var project = ProjectDirectory();
        if (!Directory.Exists(Path.Combine(project, "node_modules", "@openai", "agents")))
        {
            await RunAsync(project, "npm", "ci --no-audit --no-fund --loglevel=error", []);
        }

        var output = await RunAsync(project, "node", "agent.mjs", new()
        {
            ["OPENAI_BASE_URL"] = new Uri(router.BaseUrl, "/v1").ToString(),
            ["OPENAI_API_KEY"] = "client-key",
            ["AGENT_MODEL"] = "fake/gpt-test",
            ["OPENAI_AGENTS_DISABLE_TRACING"] = "1",
        });

        var result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"city":"Paris"}]"""), result["calls"]), output);
        Assert.Equal("It is 22C and sunny in Paris.", result["finalOutput"]!.GetValue<string>());
        Assert.Equal(2, fake.Requests.Count);
        var first = fake.Requests.First().Json;
        Assert.Equal("/v1/chat/completions", fake.Requests.First().Path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"role":"system","content":"Answer weather questions with the get_weather tool."},
             {"role":"user","content":"What is the weather in Paris?"}]
            """), first["messages"]), first.ToJsonString());
        var tool = Assert.Single(first["tools"]!.AsArray())!["function"]!;
        Assert.Equal(("get_weather", "The weather in a city"), (tool["name"]!.GetValue<string>(), tool["description"]!.GetValue<string>()));
        Assert.Equal("string", tool["parameters"]!["properties"]!["city"]!["type"]!.GetValue<string>());
        var answer = fake.Requests.Last().Json["messages"]!.AsArray();
        Assert.Equal(ScriptedToolUpstream.Arguments, answer[^2]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            {"role":"tool","tool_call_id":"{{ScriptedToolUpstream.CallId}}","content":"22C and sunny in Paris"}
            """), answer[^1]), answer.ToJsonString());
    }

    private static string ProjectDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LlmRouter.sln")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("LlmRouter.sln not found"), "tests", "Api.Tests", "Agents");
    }

    private static async Task<string> RunAsync(string directory, string file, string arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(process.ExitCode == 0, $"{file} {arguments} exited {process.ExitCode}: {await stderr}\n{await stdout}");
        return await stdout;
    }
}
