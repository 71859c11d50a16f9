using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>Logged bodies keep text as UTF-8 (not \uXXXX escapes), and the invocation list finds a model by <c>provider/model</c>.</summary>
public sealed class MonitorUsabilityTests
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task A_logged_request_keeps_non_ascii_text_as_it_is()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        await router.OpenAiChat("fake/gpt-test").CompleteChatAsync([new UserChatMessage("你好, 世界 😀 \"quoted\" <tag>")]);

        var request = await LoggedRequestAsync(router);
        Assert.Contains("你好, 世界 😀 \\\"quoted\\\" <tag>", request, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", request, StringComparison.Ordinal);
        // The relaxed encoder of System.Text.Json still escapes characters beyond the BMP; the log must not.
        Assert.Equal(JsonNode.Parse(fake.Single().Body)!.ToJsonString(Readable).Replace("\\uD83D\\uDE00", "😀", StringComparison.Ordinal), request);
    }

    [Fact]
    public async Task A_long_cjk_request_is_cut_on_a_character_boundary_of_its_utf8_text()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, extra: "[monitoring]\nmax_body_bytes = 256"));

        await router.OpenAiChat("fake/gpt-test").CompleteChatAsync([new UserChatMessage(string.Concat(Enumerable.Repeat("你好世界", 50)))]);

        var request = await LoggedRequestAsync(router);
        var whole = JsonNode.Parse(fake.Single().Body)!.ToJsonString(Readable);
        var prefix = LongestPrefix(whole, 256);
        Assert.Equal($"{prefix}\n[truncated by llm-router: kept {Encoding.UTF8.GetByteCount(prefix)} of {Encoding.UTF8.GetByteCount(whole)} bytes]", request);
        Assert.Contains("你好世界你好", prefix, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(prefix), 254, 256);
    }

    [Fact]
    public async Task The_model_filter_takes_provider_slash_model_as_well_as_the_bare_name()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, extra: """
            [[models]]
            name = "org/slashed"
            provider = "fake"

            [[providers]]
            name = "other"
            type = "openai"
            base_url = "{upstream}"

            [[models]]
            name = "gpt-test"
            provider = "other"
            """.Replace("{upstream}", fake.BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal)));
        foreach (var model in new[] { "fake/gpt-test", "fake/gpt-test", "other/gpt-test", "fake/org/slashed" })
        {
            await router.OpenAiChat(model).CompleteChatAsync([new UserChatMessage("hi")]);
        }
        await router.InvocationsAsync();

        Assert.Equal(["fake/gpt-test", "fake/gpt-test"], await ListedAsync(router, "fake/gpt-test"));
        Assert.Equal(["other/gpt-test"], await ListedAsync(router, "other/gpt-test"));
        Assert.Equal(["other/gpt-test", "fake/gpt-test", "fake/gpt-test"], await ListedAsync(router, "gpt-test"));
        Assert.Equal(["fake/org/slashed"], await ListedAsync(router, "fake/org/slashed"));
        Assert.Equal(["fake/org/slashed"], await ListedAsync(router, "org/slashed"));
        Assert.Empty(await ListedAsync(router, "nobody/gpt-test"));
        Assert.Equal(["fake/gpt-test", "fake/gpt-test"], await ListedAsync(router, "fake/gpt-test", "&provider=fake"));
        Assert.Empty(await ListedAsync(router, "fake/gpt-test", "&provider=other"));
    }

    private static async Task<string> LoggedRequestAsync(RouterHarness router)
    {
        var logged = Assert.Single(await router.InvocationsAsync());
        var detail = JsonNode.Parse(await router.Http.GetStringAsync($"/monitor/invocations/{logged.Id}"))!;
        return detail["request"]!.GetValue<string>();
    }

    private static async Task<string[]> ListedAsync(RouterHarness router, string model, string extra = "")
    {
        var list = JsonNode.Parse(await router.Http.GetStringAsync($"/monitor/invocations?model={Uri.EscapeDataString(model)}{extra}"))!;
        var items = list["items"]!.AsArray().Select(i => $"{i!["provider"]!.GetValue<string>()}/{i["model"]!.GetValue<string>()}").ToArray();
        Assert.Equal(items.Length, list["total"]!.GetValue<int>());
        return items;
    }

    private static string LongestPrefix(string text, int maxBytes)
    {
        var bytes = 0;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }
            bytes += rune.Utf8SequenceLength;
            index += rune.Utf16SequenceLength;
        }
        return text[..index];
    }
}
