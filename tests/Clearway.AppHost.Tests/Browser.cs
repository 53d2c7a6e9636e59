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

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public IPage Page { get; }

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

    /// <summary>Saves a full-page screenshot as <c>&lt;name&gt;.png</c> and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
