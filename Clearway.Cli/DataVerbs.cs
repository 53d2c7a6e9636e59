using System.Diagnostics;
using Clearway.Data;
using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Clearway.Data.Views;
using Clearway.Seeding;
using Microsoft.Extensions.Logging;
using Npgsql;
using Spectre.Console;

namespace Clearway.Cli;

/// <summary><c>seed</c>, <c>refresh-views</c> and <c>reset</c>: Clearway.Seeding and the materialized views.</summary>
internal static class DataVerbs
{
    public static async Task<int> SeedAsync(string? connection, SeedOptions options, CliRuntime runtime, CancellationToken ct)
    {
        SeedRunner.EnsureNotProduction(runtime.EnvironmentName);
        var connectionString = await ConnectionResolver.ResolveAsync(connection, runtime, ct);
        await EnsureMigratedAsync(connectionString, runtime, ct);
        var result = await LiveProgress.SeedAsync(runtime, connectionString, options, ct);
        if (!result.Skipped && !runtime.Interactive)
            await Console.Out.WriteLineAsync(result.FormatSummary());
        await Console.Out.WriteLineAsync(result.Message);
        return ExitCodes.Success;
    }

    /// <summary>Once, or every <paramref name="every"/> until Ctrl+C/SIGTERM: the views worker's loop, in a terminal.</summary>
    public static async Task<int> RefreshViewsAsync(string? connection, TimeSpan? every, CliRuntime runtime, CancellationToken ct)
    {
        var connectionString = await ConnectionResolver.ResolveAsync(connection, runtime, ct);
        await EnsureMigratedAsync(connectionString, runtime, ct);
        if (every is not { } interval)
        {
            await Console.Out.WriteLineAsync(Describe(await RefreshViewsCoreAsync(connectionString, runtime, ct)));
            return ExitCodes.Success;
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var refresher = new ViewRefresher(dataSource, runtime.LoggerFactory.CreateLogger<ViewRefresher>());
        await Console.Out.WriteLineAsync($"Refreshing both views every {RefreshInterval.Format(interval)} until Ctrl+C.");
        try
        {
            // Printed as it happens: a line per refresh, on the loop's own thread.
            await refresher.RunAsync(interval, ct, new LineProgress(refresh => Console.Out.WriteLine($"Refresh {refresher.Refreshes}: {Describe(refresh)}")));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the way out of the loop.
        }
        await Console.Out.WriteLineAsync($"Stopped after {refresher.Refreshes} refreshes.");
        return ExitCodes.Success;
    }

    /// <summary>Both views once, through the one refresher (CONCURRENTLY; a never-populated view gets a plain first refresh).</summary>
    public static async Task<ViewRefresh> RefreshViewsCoreAsync(string connectionString, CliRuntime runtime, CancellationToken ct)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await new ViewRefresher(dataSource, runtime.LoggerFactory.CreateLogger<ViewRefresher>()).RefreshAsync(ct);
    }

    private static string Describe(ViewRefresh refresh) =>
        $"Refreshed {string.Join(" and ", MaterializedViews.All)} {(refresh.Concurrently ? "concurrently" : "(first population, not concurrently)")} " +
        $"in {Report.Seconds(refresh.Elapsed)}: {string.Join(", ", refresh.Views.Select(v => $"{v.View} {v.Rows:N0} rows"))}.";

    private sealed class LineProgress(Action<ViewRefresh> report) : IProgress<ViewRefresh>
    {
        public void Report(ViewRefresh value) => report(value);
    }

    /// <param name="rebuild">Roll back, migrate and seed (every migration's Down and Up run) instead of putting the template's clone in place.</param>
    public static async Task<int> ResetAsync(string? connection, SeedOptions options, bool yes, bool rebuild, CliRuntime runtime, CancellationToken ct)
    {
        if (runtime.IsProduction)
            throw CliException.Refusal($"refusing to reset: the environment is {runtime.EnvironmentName} (reset drops every Clearway table).",
                "reset is for development databases; set DOTNET_ENVIRONMENT=Development for one");
        SeedRunner.EnsureNotProduction(runtime.EnvironmentName);
        if (!yes && (Console.IsInputRedirected || Console.IsOutputRedirected))
            throw CliException.Refusal("refusing to reset without confirmation: there is no terminal to ask on.", "pass --yes to confirm");

        var connectionString = await ConnectionResolver.ResolveAsync(connection, runtime, ct);
        var status = await runtime.Migrator(runtime.MigrationRun(connectionString)).GetStatusAsync(ct);
        if (status.DatabaseExists)
        {
            await using var probe = new NpgsqlConnection(connectionString);
            await probe.OpenAsync(ct);
            CliLog.ResetOwnership(runtime.Logger, status.Target, await DatabaseOwnership.EnsureOursAsync(probe, ct));
        }
        if (!yes && !await AnsiConsole.ConfirmAsync(
                $"Drop every Clearway table in {Markup.Escape(status.Target)}, migrate and seed {SeedOptions.ProfileName(options.Profile)} again?", defaultValue: false, ct))
            throw CliException.Refusal("reset cancelled at the prompt; nothing was changed.");

        var total = Stopwatch.StartNew();
        var steps = new List<StepTime>();
        var clock = Stopwatch.StartNew();
        if (!rebuild)
        {
            var change = await runtime.States(connectionString).ResetAsync(options with { Reset = true }, ct);
            steps.Add(new StepTime("reset", clock.Elapsed, change.Describe()));
            Report.Steps(runtime, steps, total.Elapsed);
            await Console.Out.WriteLineAsync($"Reset {status.Target}: {change.Describe()}.");
            return ExitCodes.Success;
        }
        // Confirmed: the operator said yes (prompt or --yes); Force: the point of reset is to drop tables holding data.
        var migratorOptions = runtime.MigrationRun(connectionString, force: true, confirmed: true);
        if (status.DatabaseExists)
        {
            // Rows and marker go together first: however the rest is interrupted, no marker is left over emptied tables.
            await SeedRunner.ClearAsync(connectionString, ct);
            var back = await runtime.Migrator(migratorOptions).RollbackAsync("0", ct);
            steps.Add(new StepTime("drop", clock.Elapsed, back.Reverted.Count == 0 ? "nothing to drop" : $"reverted {back.Reverted.Count} migration(s)"));
        }
        clock.Restart();
        var migrated = await LiveProgress.MigrateAsync(runtime, migratorOptions, ct);
        steps.Add(new StepTime("migrate", clock.Elapsed, $"applied {migrated.Applied.Count} migration(s), schema verified"));
        clock.Restart();
        var seeded = await LiveProgress.SeedAsync(runtime, connectionString, options with { Reset = true }, ct);
        steps.Add(new StepTime("seed", clock.Elapsed, seeded.Message));

        Report.Steps(runtime, steps, total.Elapsed);
        Report.Rows(runtime, await TableRowCounts.ReadAsync(connectionString, ct));
        await Console.Out.WriteLineAsync($"Reset {status.Target}: migrated and seeded ({options.Canonical}).");
        return ExitCodes.Success;
    }

    /// <summary>Waits for the server (the migrator's bounded wait) and refuses a missing database or pending migrations.</summary>
    private static async Task EnsureMigratedAsync(string connectionString, CliRuntime runtime, CancellationToken ct)
    {
        var status = await runtime.Migrator(runtime.MigrationRun(connectionString)).GetStatusAsync(ct);
        if (!status.DatabaseExists)
            throw CliException.Refusal($"database {status.Target} does not exist.", "run `clearway migrate` first");
        var pending = status.Pending.ToList();
        if (pending.Count > 0)
            throw CliException.Refusal(
                $"the schema of {status.Target} is not migrated: {pending.Count} migration(s) pending ({string.Join(", ", pending)}).",
                "run `clearway migrate` first");
    }
}
