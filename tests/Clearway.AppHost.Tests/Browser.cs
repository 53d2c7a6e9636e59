using Microsoft.Playwright;

namespace Clearway.AppHost.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser), as the machine's docs prescribe; screenshots
/// go to TestResults/screenshots at the repository root.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    /// <summary>How long a page may take to render the dashboard's layout before it is loaded again.</summary>
    private static readonly TimeSpan RenderLimit = TimeSpan.FromSeconds(45);
    private const int LoadAttempts = 3;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _events = [];

    private Browser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        page.Console += (_, message) => Note($"console {message.Type}: {message.Text}");
        page.PageError += (_, error) => Note($"page error: {error}");
        page.WebSocket += (_, socket) =>
        {
            socket.SocketError += (_, error) => Note($"websocket {socket.Url} error: {error}");
            socket.Close += (_, _) => Note($"websocket {socket.Url} closed");
        };
    }

    public IPage Page { get; }

    /// <summary>The browser's console messages, page errors and websocket ends so far, and the test's own reloads.</summary>
    public IReadOnlyList<string> Events { get { lock (_events) return [.. _events]; } }

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");

    public static async Task<Browser> OpenAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            var problem = $"{ChromiumPath} is missing: install Debian's chromium (apt-get install chromium), or run `bash .ci/run`.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail(problem);
            Assert.Skip(problem);
        }
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArguments,
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1400 } });
        // Generous: a loaded machine renders the Blazor pages slowly; every wait is still bounded.
        context.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(60_000);
        return new Browser(playwright, browser, await context.NewPageAsync());
    }

    /// <summary>
    /// Opens <paramref name="url"/> and waits until the dashboard has rendered its layout. A page whose Blazor circuit
    /// never renders (seen on a loaded 2-core machine: the prerendered shell stays blank, no reconnect dialog) is
    /// loaded again, as a user would press F5; each such reload is noted in <see cref="Events"/>.
    /// </summary>
    public async Task GotoAsync(string url)
    {
        for (var attempt = 1; ; attempt++)
        {
            await Page.GotoAsync(url);
            try
            {
                await Page.Locator("div.layout").WaitForAsync(new() { Timeout = (float)RenderLimit.TotalMilliseconds });
                return;
            }
            catch (System.TimeoutException) when (attempt < LoadAttempts)
            {
                Note($"{url} rendered nothing within {RenderLimit.TotalSeconds} s; loading it again (attempt {attempt + 1} of {LoadAttempts})");
            }
        }
    }

    /// <summary>Saves a full-page screenshot as <c>&lt;name&gt;.png</c> and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private void Note(string line)
    {
        lock (_events)
            _events.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
