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
                var container = app.ResourceNotifications.TryGetCurrentState("postgres", out var postgres)
                    ? postgres.Snapshot.Properties.FirstOrDefault(p => p.Name == "container.id")?.Value?.ToString() : null;
                Assert.NotNull(container);
                await WalkThroughAsync(browser, dashboard, database, connectionString, container);
            }
            catch (Exception e)
            {
                await browser.ScreenshotAsync("dashboard-failure");
                await File.WriteAllTextAsync(Path.Combine(Browser.ScreenshotDirectory, "dashboard-failure.html"), await browser.Page.ContentAsync(), ct);
                // The terminal's rows live in a shadow root, which the page's HTML leaves out.
                foreach (var terminal in await browser.Page.Locator(".hex1b-terminal").AllAsync())
                    await File.AppendAllTextAsync(Path.Combine(Browser.ScreenshotDirectory, "dashboard-failure-terminal.html"),
                        await terminal.EvaluateAsync<string>("e => e.shadowRoot ? e.shadowRoot.innerHTML : e.innerHTML"), ct);
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

    private static async Task WalkThroughAsync(Browser browser, Uri dashboard, SeededDatabase database, string connectionString, string postgresContainer)
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
        var seed = DialogInput(page, "Seed").Locator("input");
        await RunCommandAsync(page, "dbmanager", "Reseed…", seed);
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

        // Query statistics on the database: the statements run on it, normalized, in the command's result view.
        await browser.GotoAsync(dashboard.ToString());
        await RunCommandAsync(page, "clearway", "Query statistics");
        await Expect(page.GetByText("clearway \"Query statistics\" succeeded").First).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await ViewResponseAsync(page, "Query statistics");
        await Expect(page.GetByText("Calls", new() { Exact = false }).First).ToBeVisibleAsync();
        // The statements Verify schema just ran on this database (the reseed put a new one in place, counted from zero).
        await Expect(page.GetByText("to_regclass", new() { Exact = false }).First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-query-statistics");
        await page.Keyboard.PressAsync("Escape");

        // Reset database: asks first, then puts the default seed's clone in place.
        await browser.GotoAsync(dashboard.ToString());
        var confirm = page.GetByText("Replace the database (and whatever the app wrote to it) with a fresh copy of the default seed?");
        await RunCommandAsync(page, "dbmanager", "Reset database", confirm);
        await browser.ScreenshotAsync("dashboard-reset-confirm");
        await page.Locator("fluent-dialog[type='alert'] fluent-button").Filter(new() { HasText = "Yes" }).ClickAsync();
        await Expect(page.GetByText("dbmanager \"Reset database\" succeeded").First).ToBeVisibleAsync(new() { Timeout = 240_000 });
        await browser.ScreenshotAsync("dashboard-reset-done");
        Assert.Equal(SeedOptions.Parse("dev", "42", null, null, reset: false).Recipe, await RecipeAsync(connectionString));

        // The psql shell (Aspire's REPL on the server) in the terminal dock, listing the tables.
        await browser.GotoAsync(dashboard.ToString());
        // The dock's terminal (Hex1b) draws on a canvas: what the shell did is read where it happened, in the server
        // (its session) and in the container (the listing psql wrote with \o, beside the one on the screen).
        var terminal = page.Locator(".terminal-dock-pane.active .hex1b-terminal");
        await RunCommandAsync(page, "postgres", "REPL", terminal);
        await UntilAsync(() => PsqlSessionOnAsync(connectionString, "postgres"), "a psql session on postgres");
        // Keys reach the shell through the terminal's own input (a textarea in its shadow root, which locators pierce);
        // keys typed before the terminal view is attached are lost, so a line is typed again until the shell shows it acted.
        var input = terminal.GetByLabel("Interactive terminal input");
        await TypeUntilAsync(input, "\\c clearway\n", () => PsqlSessionOnAsync(connectionString, "clearway"), "the psql session on clearway");
        var listing = await TypeUntilAsync(input, "\\pset pager off\n\\o /tmp/dashboard-tables.txt\n\\dt\n\\o\n\\dt\n",
            async () => await ContainerEngine.ReadFileAsync(postgresContainer, "/tmp/dashboard-tables.txt") is { } text && text.Contains("rows)", StringComparison.Ordinal) ? text : null,
            "the psql listing of the tables");
        foreach (var table in database.Rows.Select(r => r.Table))
            Assert.Contains($" {table} ", listing, StringComparison.Ordinal);
        await browser.ScreenshotAsync("dashboard-psql-shell");
    }

    /// <summary>True once a psql session (the REPL's) is connected to <paramref name="database"/>.</summary>
    private static async Task<bool?> PsqlSessionOnAsync(string connectionString, string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'psql' AND datname = $1)", connection);
        command.Parameters.AddWithValue(database);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) is true ? true : null;
    }

    /// <summary>Asks <paramref name="probe"/> again until it answers (bounded: <paramref name="limit"/>, a minute by default).</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? limit = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } answer)
                return answer;
            if (clock.Elapsed > (limit ?? TimeSpan.FromMinutes(1)))
                throw new TimeoutException($"{what}: not there after {(limit ?? TimeSpan.FromMinutes(1)).TotalSeconds:0} s");
            await Task.Delay(200, TestContext.Current.CancellationToken); // asking again, not a sleep standing in for an event
        }
    }

    /// <summary>Types <paramref name="keys"/> into the terminal until <paramref name="done"/> answers (at most four times, 15 s each).</summary>
    private static async Task<T> TypeUntilAsync<T>(ILocator input, string keys, Func<Task<T?>> done, string what)
    {
        for (var attempt = 1; ; attempt++)
        {
            await input.FocusAsync();
            if (attempt > 1)
                await input.Page.Keyboard.PressAsync("Control+C"); // psql drops whatever part of the line did arrive
            await input.Page.Keyboard.TypeAsync(keys);
            try
            {
                return await UntilAsync(done, what, TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException) when (attempt < 4)
            {
                // the keys did not reach the shell: type them again
            }
        }
    }

    /// <summary>The seed the database holds, without its as-of date (the dialog's and the seeder's default is today).</summary>
    private static async Task<string?> RecipeAsync(string connectionString) =>
        (await SeedMarker.ReadAsync(connectionString, TestContext.Current.CancellationToken))?.Canonical.Split(";as-of=")[0];

    /// <summary>
    /// Runs a command from the resource's menu, where the dashboard puts it (in the menu, or under its Commands submenu),
    /// and waits for <paramref name="started"/> (by default its notification): a click that lands while the submenu is
    /// still opening does nothing, and then the menu is opened again (bounded).
    /// </summary>
    private static async Task RunCommandAsync(IPage page, string resource, string command, ILocator? started = null)
    {
        started ??= page.GetByText($"\"{command}\"").First;
        for (var attempt = 1; ; attempt++)
        {
            await ResourceRow(page, resource).GetByRole(AriaRole.Button).Last.ClickAsync();
            await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "View details" })).ToBeVisibleAsync();
            var item = page.GetByRole(AriaRole.Menuitem, new() { Name = command, Exact = true });
            if (!await item.IsVisibleAsync())
                await page.GetByRole(AriaRole.Menuitem, new() { Name = "Commands", Exact = true }).ClickAsync();
            await Expect(item).ToBeVisibleAsync();
            await item.ClickAsync();
            try
            {
                await Expect(started).ToBeVisibleAsync(new() { Timeout = 15_000 });
                return;
            }
            catch (Exception e) when (attempt < 3 && e is PlaywrightException or TimeoutException)
            {
                await page.Keyboard.PressAsync("Escape");
            }
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
