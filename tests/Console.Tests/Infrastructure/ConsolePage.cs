using System.Collections.Concurrent;
// Orleans (referenced through the node) imports Orleans.Runtime, which has an IRequest of its own.
using IRequest = Microsoft.Playwright.IRequest;

namespace LlmRouter.Console.Tests.Infrastructure;

/// <summary>
/// One browser page on the console. It records every request the page makes and refuses (aborts) any that would
/// leave the node, records script errors, and on dispose asserts there were none of either.
/// </summary>
public sealed class ConsolePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly Uri _node;
    private readonly ConcurrentQueue<string> _foreign = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private ConsolePage(IBrowserContext context, IPage page, Uri node)
    {
        _context = context;
        Page = page;
        _node = node;
    }

    public IPage Page { get; }

    /// <summary>Every request the page sent, in order.</summary>
    public ConcurrentQueue<IRequest> Requests { get; } = new();

    public static async Task<ConsolePage> StartAsync(IBrowserContext context, Uri node)
    {
        context.SetDefaultTimeout(10_000);
        context.SetDefaultNavigationTimeout(15_000);
        var page = await context.NewPageAsync();
        var console = new ConsolePage(context, page, node);
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "data" or "blob" || url.Host == node.Host && url.Port == node.Port)
            {
                await route.ContinueAsync();
                return;
            }
            console._foreign.Enqueue(route.Request.Url);
            await route.AbortAsync("blockedbyclient");
        });
        page.Request += (_, request) => console.Requests.Enqueue(request);
        page.PageError += (_, error) => console._errors.Enqueue(error);
        page.Console += (_, message) =>
        {
            // A 401/403 the console handles shows up as a failed resource load; script errors are what matter.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                console._errors.Enqueue(message.Text);
            }
        };
        return console;
    }

    /// <summary>Opens a console route such as "#/invocations".</summary>
    public async Task GotoAsync(string route = "")
    {
        await Page.GotoAsync("/ui/" + route);
    }

    public ILocator TestId(string id) => Page.GetByTestId(id);

    /// <summary>Signs in on the Session page with <paramref name="apiKey"/> and waits for the overview it leads to.</summary>
    public async Task SignInAsync(string apiKey)
    {
        await GotoAsync("#/session");
        await TestId("signin-key").FillAsync(apiKey);
        await TestId("signin-submit").ClickAsync();
        await Expect(TestId("card-requests-value")).ToBeVisibleAsync();
    }

    /// <summary>The session token the console keeps in the tab's sessionStorage.</summary>
    public Task<string> SessionTokenAsync() =>
        Page.EvaluateAsync<string>("() => JSON.parse(sessionStorage.getItem('llm-router.session')).token");

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(Artifacts.Screenshots);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, name + ".png"), FullPage = true });
    }

    /// <summary>The requests the page made to the node under <paramref name="path"/> (API calls, not the console's files).</summary>
    public IReadOnlyList<IRequest> ApiRequests(string path) =>
        Requests.Where(r => new Uri(r.Url).AbsolutePath.StartsWith(path, StringComparison.Ordinal)).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        Assert.True(_foreign.IsEmpty, "The console tried to reach beyond the node: " + string.Join(", ", _foreign));
        Assert.True(_errors.IsEmpty, "The console logged errors: " + string.Join(" | ", _errors));
        Assert.All(Requests, r => Assert.Equal(_node.Host, new Uri(r.Url).Host));
    }
}
