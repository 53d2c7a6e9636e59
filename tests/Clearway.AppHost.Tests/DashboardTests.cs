using Clearway.Seeding;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Clearway.AppHost.Tests;

/// <summary>The Aspire dashboard of the running AppHost (container mode), in a real browser.</summary>
public sealed class DashboardTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Shows_the_resources_the_seeder_log_the_traces_and_meters_runs_the_database_commands_and_the_psql_shell()
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
                // Unpooled: the commands put other databases in place, which ends every session on the old one.
                var connectionString = new Npgsql.NpgsqlConnectionStringBuilder((await app.GetConnectionStringAsync("clearway", ct))!) { Pooling = false }.ConnectionString;
                await WalkThroughAsync(browser, dashboard, database, connectionString);
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

    private static async Task WalkThroughAsync(Browser browser, Uri dashboard, SeededDatabase database, string connectionString)
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

        // The refresh command, from the database manager's menu (an HTTP command, enabled once the manager runs).
        await browser.GotoAsync(dashboard.ToString());
        await Expect(ResourceRow(page, "dbmanager")).ToContainTextAsync("Running");
        await RunCommandAsync(page, "dbmanager", "Refresh materialized views");
        await Expect(page.GetByText("\"Refresh materialized views\" succeeded").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-refresh-command");

        // Reseed…: the dialog on the database manager's menu; bad input is shown beside the input, nothing runs.
        await RunCommandAsync(page, "dbmanager", "Reseed…");
        var seed = DialogInput(page, "Seed").Locator("input");
        await Expect(seed).ToHaveValueAsync("42"); // the seed the seeder runs with
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
        await Expect(page.GetByText("dbmanager \"Reseed…\" succeeded").First).ToBeVisibleAsync(new() { Timeout = 180_000 });
        await browser.ScreenshotAsync("dashboard-reseed-done");
        Assert.Equal(SeedOptions.Parse("tiny", "7", null, null, reset: false).Recipe, await RecipeAsync(connectionString));

        // Verify schema: an HTTP command to the manager; the verifier's summary as the message, its report as the result.
        await browser.GotoAsync(dashboard.ToString());
        await RunCommandAsync(page, "dbmanager", "Verify schema");
        await Expect(page.GetByText("\"Verify schema\" succeeded").First).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await browser.ScreenshotAsync("dashboard-verify-command");
        await ViewResponseAsync(page, "Verify schema");
        await Expect(page.GetByText("schema verified", new() { Exact = false }).Last).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-verify-report");
        await page.Keyboard.PressAsync("Escape");

        // Query statistics on the database: the statements the app (here the manager and the seeder) ran, in the result view.
        await browser.GotoAsync(dashboard.ToString());
        await RunCommandAsync(page, "clearway", "Query statistics");
        await Expect(page.GetByText("clearway \"Query statistics\" succeeded").First).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await ViewResponseAsync(page, "Query statistics");
        await Expect(page.GetByText("Calls", new() { Exact = false }).First).ToBeVisibleAsync();
        await Expect(page.GetByText("REFRESH MATERIALIZED VIEW", new() { Exact = false }).First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-query-statistics");
        await page.Keyboard.PressAsync("Escape");

        // Reset database: asks first, then puts the default seed's clone in place.
        await browser.GotoAsync(dashboard.ToString());
        await RunCommandAsync(page, "dbmanager", "Reset database");
        await Expect(page.GetByText("Replace the database (and whatever the app wrote to it) with a fresh copy of the default seed?")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-reset-confirm");
        await page.Locator("fluent-dialog[type='alert'] fluent-button").Filter(new() { HasText = "Yes" }).ClickAsync();
        await Expect(page.GetByText("dbmanager \"Reset database\" succeeded").First).ToBeVisibleAsync(new() { Timeout = 240_000 });
        await browser.ScreenshotAsync("dashboard-reset-done");
        Assert.Equal(SeedOptions.Parse("dev", "42", null, null, reset: false).Recipe, await RecipeAsync(connectionString));

        // The psql shell (Aspire's REPL on the server) in the terminal dock, listing the tables.
        await browser.GotoAsync(dashboard.ToString());
        await RunCommandAsync(page, "postgres", "REPL");
        var terminal = page.Locator(".xterm");
        await Expect(terminal.First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(terminal.First).ToContainTextAsync("postgres=#", new() { Timeout = 60_000 });
        await terminal.First.ClickAsync();
        await page.Keyboard.TypeAsync("\\c clearway\n");
        await Expect(terminal.First).ToContainTextAsync("clearway=#");
        await page.Keyboard.TypeAsync("\\pset pager off\n\\dt\n");
        await Expect(terminal.First).ToContainTextAsync("CapitalCall");
        await Expect(terminal.First).ToContainTextAsync("OrganizationMember");
        await Expect(terminal.First).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\(\d+ rows\)"));
        await browser.ScreenshotAsync("dashboard-psql-shell");
    }

    /// <summary>The seed the database holds, without its as-of date (the dialog's and the seeder's default is today).</summary>
    private static async Task<string?> RecipeAsync(string connectionString) =>
        (await SeedMarker.ReadAsync(connectionString, TestContext.Current.CancellationToken))?.Canonical.Split(";as-of=")[0];

    /// <summary>Runs a command from the resource's menu, where the dashboard puts it: in the menu, or under its Commands submenu.</summary>
    private static async Task RunCommandAsync(IPage page, string resource, string command)
    {
        await ResourceRow(page, resource).GetByRole(AriaRole.Button).Last.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "View details" })).ToBeVisibleAsync();
        var item = page.GetByRole(AriaRole.Menuitem, new() { Name = command, Exact = true });
        var submenu = page.GetByRole(AriaRole.Menuitem, new() { Name = "Commands", Exact = true });
        if (!await item.IsVisibleAsync() && await submenu.IsVisibleAsync())
            await submenu.ClickAsync();
        await item.ClickAsync();
        // A click that lands while the submenu is still opening only highlights the item: the menu stays open. Then once more.
        try
        {
            await Expect(item).ToBeHiddenAsync(new() { Timeout = 5_000 });
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            await item.ClickAsync();
            await Expect(item).ToBeHiddenAsync();
        }
    }

    /// <summary>Opens the result of the command just run, from its notification.</summary>
    private static async Task ViewResponseAsync(IPage page, string command)
    {
        await page.GetByText("View response").First.ClickAsync();
        await Expect(page.GetByText(command).First).ToBeVisibleAsync();
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
