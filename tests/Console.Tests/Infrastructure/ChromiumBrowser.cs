namespace LlmRouter.Console.Tests.Infrastructure;

/// <summary>
/// Debian's headless Chromium driven by Playwright (no browser download): one browser for the whole run, a fresh
/// context (profile, storage, cookies) for every page a test opens.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    private const string DefaultExecutable = "/usr/bin/chromium";

    // Without the background-networking switches Chromium tries to reach Google's services at start.
    private static readonly string[] Switches =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions", "--lang=en-US",
    ];

    private IPlaywright? _playwright;

    private static string Executable => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : DefaultExecutable;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"Chromium is not at {Executable}: install Debian's chromium (run-tests.sh does) or set CHROMIUM_PATH.");
        }
        // The suites share two cores with parallel test assemblies (CI runs them together): page updates that
        // take a second on a quiet machine can take far longer, so every expectation waits up to 30 s.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync();
        SetDefaultExpectTimeout(10_000);
    }

    /// <summary>Another browser process, with <paramref name="extraSwitches"/> added; the caller closes it.</summary>
    public Task<IBrowser> LaunchAsync(params string[] extraSwitches) => _playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Executable,
        Headless = true,
        Args = [.. Switches, .. extraSwitches],
        Timeout = 30_000,
    });

    /// <summary>The desktop window most tests use.</summary>
    public static ViewportSize Desktop => new() { Width = 1360, Height = 900 };

    /// <summary>A 390 px phone in portrait.</summary>
    public static ViewportSize Phone => new() { Width = 390, Height = 844 };

    /// <summary>
    /// A new page in its own context; <paramref name="remote"/> sends X-Forwarded-For so the node treats it as a remote
    /// client; <paramref name="viewport"/> defaults to <see cref="Desktop"/>; the browser's clock runs in <paramref name="timezoneId"/>.
    /// </summary>
    public async Task<ConsolePage> OpenAsync(
        RouterHarness router, bool remote = false, string locale = "en-US", ViewportSize? viewport = null, string timezoneId = "UTC")
    {
        var options = new BrowserNewContextOptions
        {
            BaseURL = router.BaseUrl.ToString(),
            ViewportSize = viewport ?? Desktop,
            Locale = locale,
            TimezoneId = timezoneId,
            ServiceWorkers = ServiceWorkerPolicy.Block,
        };
        if (remote)
        {
            options.ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = AccessKit.RemoteClient };
        }
        var context = await Browser.NewContextAsync(options);
        return await ConsolePage.StartAsync(context, router.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}
