using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Clearway.AppHost.Tests;

/// <summary>The Aspire dashboard of the running AppHost (container mode), in a real browser.</summary>
public sealed class DashboardTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Shows_the_resources_the_seeder_log_the_traces_and_meters_and_runs_the_refresh_reseed_verify_and_reset_commands()
    {
        var image = await ContainerEngine.RequireLocalPostgresImageAsync();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(RunLimit);
        var ct = limit.Token;
        var options = new AppHostOptions { Image = image, Dashboard = true };
        try
        {
            await using var app = await TestAppHost.StartAsync(options, ct);
            var dashboard = await app.GetDashboardUrlAsync(ct);
            Assert.Equal(0, (await app.WaitForExitAsync("migrations", ct)).Snapshot.ExitCode);
            Assert.Equal(0, (await app.WaitForExitAsync("seeder", ct)).Snapshot.ExitCode);

            var database = await SeededDatabase.ReadAsync((await app.GetConnectionStringAsync("clearway", ct))!, ct);

            await using var browser = await Browser.OpenAsync();
            try
            {
                await WalkThroughAsync(browser, dashboard, database);
            }
            catch (Exception e)
            {
                await browser.ScreenshotAsync("dashboard-failure");
                await File.WriteAllTextAsync(Path.Combine(Browser.ScreenshotDirectory, "dashboard-failure.html"), await browser.Page.ContentAsync(), ct);
                var events = browser.Events;
                await File.WriteAllLinesAsync(Path.Combine(Browser.ScreenshotDirectory, "dashboard-failure-browser.log"), events, ct);
                throw new InvalidOperationException(
                    $"{e.Message}{Environment.NewLine}the browser's last events:{Environment.NewLine}{string.Join(Environment.NewLine, events.TakeLast(12))}", e);
            }
        }
        finally
        {
            await options.RemoveVolumeAsync();
        }
    }

    private static async Task WalkThroughAsync(Browser browser, Uri dashboard, SeededDatabase database)
    {
        var page = browser.Page;
        var root = new Uri(dashboard.GetLeftPart(UriPartial.Authority));
        await browser.GotoAsync(dashboard.ToString());
        await Expect(ResourceRow(page, "postgres")).ToContainTextAsync("Running");
        await Expect(ResourceRow(page, "clearway")).ToContainTextAsync("Running");
        await Expect(ResourceRow(page, "migrations")).ToContainTextAsync("Finished");
        await Expect(ResourceRow(page, "seeder")).ToContainTextAsync("Finished");
        await browser.ScreenshotAsync("dashboard-resources");

        // The seeder's console log: a line per table with the rows it wrote, as many as the database holds.
        await browser.GotoAsync(new Uri(root, "/consolelogs/resource/seeder").ToString());
        foreach (var (table, rows) in database.Rows)
            await Expect(page.GetByText($"Seeded table {table}: {rows} rows", new() { Exact = false })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-seeder-console");

        // Traces: the migrate trace with a span per migration, the seed trace with a span per table.
        await OpenTraceAsync(browser, root, "migrations: migrate");
        foreach (var migration in database.AppliedMigrations)
            await ExpectSpanAsync(page, $"migration up {migration[(migration.IndexOf('_') + 1)..]}");
        await browser.ScreenshotAsync("dashboard-trace-migrate");
        await OpenTraceAsync(browser, root, "seeder: seed");
        foreach (var (table, _) in database.Rows)
            await ExpectSpanAsync(page, $"seed {table}");
        await browser.ScreenshotAsync("dashboard-trace-seed");

        // Metrics: the Clearway meters of each worker.
        await browser.GotoAsync(new Uri(root, "/metrics/resource/migrations").ToString());
        await Expect(page.GetByText("Clearway.Data", new() { Exact = true })).ToBeVisibleAsync();
        await browser.GotoAsync(new Uri(root, "/metrics/resource/seeder").ToString());
        await Expect(page.GetByText("Clearway.Seeding", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText("clearway.seeding.rows_written", new() { Exact = true })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-metrics");

        // The refresh command, from the clearway resource's menu (enabled once the views worker runs).
        await browser.GotoAsync(dashboard.ToString());
        await Expect(ResourceRow(page, "views")).ToContainTextAsync("Running");
        await ResourceRow(page, "clearway").GetByRole(AriaRole.Button).Last.ClickAsync();
        await page.GetByText("Refresh materialized views", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByText("\"Refresh materialized views\" succeeded").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-refresh-command");

        // Reseed…: the dialog on the seeder's menu.
        await ResourceRow(page, "seeder").GetByRole(AriaRole.Button).Last.ClickAsync();
        await page.GetByText("Reseed…", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByText("Empty the 28 tables")).ToBeVisibleAsync();
        var seed = DialogInput(page, "Seed").Locator("input");
        await Expect(seed).ToHaveValueAsync("42"); // the seed the seeder runs with now
        await seed.FillAsync("forty-two");
        var submit = page.Locator("footer.interaction-dialog-actions fluent-button").Filter(new() { HasText = "Reseed…" });
        await submit.ClickAsync();
        await Expect(page.GetByText("seed must be an integer")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-reseed-dialog-invalid");
        await seed.FillAsync("7");
        await DialogInput(page, "Profile").Locator("fluent-dropdown").ClickAsync();
        await page.Locator("fluent-option").Filter(new() { HasText = "tiny (~700 rows, for tests)" }).ClickAsync();
        await browser.ScreenshotAsync("dashboard-reseed-dialog");
        await submit.ClickAsync();
        await Expect(page.GetByText("seeder \"Reseed…\" succeeded").First).ToBeVisibleAsync(new() { Timeout = 180_000 });
        await Expect(ResourceRow(page, "seeder")).ToContainTextAsync("--profile tiny --seed 7");
        await browser.ScreenshotAsync("dashboard-reseed-done");
        await browser.GotoAsync(new Uri(root, "/consolelogs/resource/seeder").ToString());
        await Expect(page.GetByText("profile=tiny;seed=7").First).ToBeVisibleAsync();

        // Verify schema: the verifier's one-line summary as the command's result.
        await browser.GotoAsync(dashboard.ToString());
        await ResourceRow(page, "clearway").GetByRole(AriaRole.Button).Last.ClickAsync();
        await page.GetByText("Verify schema", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByText("\"Verify schema\" succeeded").First).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await browser.ScreenshotAsync("dashboard-verify-command");

        // Reset database: asks first, then rolls back, migrates and seeds as runs of the real resources.
        await ResourceRow(page, "clearway").GetByRole(AriaRole.Button).Last.ClickAsync();
        await page.GetByText("Reset database", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByText("Drop every Clearway table and its data, migrate again and seed again?")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-reset-confirm");
        await page.Locator("fluent-dialog[type='alert'] fluent-button").Filter(new() { HasText = "Yes" }).ClickAsync();
        await Expect(page.GetByText("clearway \"Reset database\" succeeded").First).ToBeVisibleAsync(new() { Timeout = 240_000 });
        await Expect(ResourceRow(page, "seeder")).ToContainTextAsync("Finished");
        await browser.ScreenshotAsync("dashboard-reset-done");
    }

    /// <summary>One input of an open command dialog, found by its label.</summary>
    private static ILocator DialogInput(IPage page, string label) =>
        page.Locator(".interaction-input").Filter(new()
        {
            // The label reads "Seed*": the asterisk marks a required input.
            Has = page.Locator("label.interaction-input-label", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{label}\\s*\\*?\\s*$") }),
        });

    /// <summary>The Resources page's row of one resource (matched on its name cell, not on text elsewhere in the row).</summary>
    private static ILocator ResourceRow(IPage page, string name) =>
        page.Locator("tr.resource-row").Filter(new() { Has = page.Locator(".resource-name-text").GetByText(name, new() { Exact = true }) });

    /// <summary>Opens a trace from the Traces page.</summary>
    private static async Task OpenTraceAsync(Browser browser, Uri root, string trace)
    {
        var page = browser.Page;
        await browser.GotoAsync(new Uri(root, "/traces").ToString());
        await page.GetByText(trace, new() { Exact = true }).First.ClickAsync();
        await Expect(page.GetByText("Trace detail")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Narrows the open trace to one span by name and expects it: the span list is virtualized, so a span far down a
    /// trace of hundreds is not in the page until the filter brings it up.
    /// </summary>
    private static async Task ExpectSpanAsync(IPage page, string span)
    {
        // The detail page has its own filter box beside the (hidden) list one.
        await page.GetByPlaceholder("Filter...").Last.FillAsync(span);
        await Expect(page.Locator(".fluent-data-grid-row, tr").Filter(new() { HasText = span }).First).ToBeVisibleAsync();
    }
}
