using System.Diagnostics;
using Clearway.Data;
using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Clearway.Postgres;
using Clearway.Seeding;

namespace Clearway.Cli;

/// <summary>What <c>clearway up</c> was asked for.</summary>
/// <param name="ExplicitSeed">True when any seed option was given (then a different existing seed is refused, not kept).</param>
internal sealed record UpArguments(SeedOptions Seed, bool ExplicitSeed, int? Port, string? DataDirectory, string? Connection, bool HidePassword, int? SlowQueryMs);

/// <summary>
/// <c>clearway up</c>: a PostgreSQL server from local binaries with a persistent data directory (or an existing server via
/// <c>--connection</c>), migrated, seeded, views refreshed, a summary; then it runs until Ctrl+C, SIGTERM or SIGHUP and stops
/// the server. The server is Clearway.Postgres's <see cref="LocalPostgresServer"/>: owner-only, password, durable, and the
/// data directory locked for the whole run.
/// </summary>
internal static class UpVerb
{
    public const string ReadyMarker = "Ready: PostgreSQL is running.";

    public static async Task<int> RunAsync(UpArguments arguments, CliRuntime runtime, CancellationToken ct)
    {
        var seed = arguments.Seed;
        var port = arguments.Port;
        SeedRunner.EnsureNotProduction(runtime.EnvironmentName);
        var total = Stopwatch.StartNew();
        var steps = new List<StepTime>();

        if (ConnectionResolver.Explicit(arguments.Connection) is { } existing)
        {
            if (arguments.Port is not null || arguments.DataDirectory is not null || arguments.SlowQueryMs is not null)
                throw CliException.Refusal("--port, --data-dir and --slow-query-ms start a server of our own; --connection (or ConnectionStrings__clearway) uses an existing one.",
                    "pass one or the other");
            await PrepareAsync(existing, seed, arguments.ExplicitSeed, steps, runtime, ct);
            await SummaryAsync(existing, binDirectory: null, "password not shown: the one you gave", steps, total.Elapsed, runtime, ct);
            return ExitCodes.Success;
        }

        var directory = DataDirectory.Resolve(arguments.DataDirectory);
        var clock = Stopwatch.StartNew();
        // Refusals (exit 2) and failures (exit 1) come as PostgresStartException; see Failures.
        var server = await LocalPostgresServer.StartAsync(new PostgresClusterOptions { Directory = directory, Port = port, SlowQueryMs = arguments.SlowQueryMs ?? ServerSettings.DefaultSlowQueryMs }, ct);
        var cluster = server.Cluster;
        var connectionString = cluster.ConnectionString(ClearwayConnectionString.Name);
        var state = new UpState(connectionString, Environment.ProcessId, directory, cluster.Port, DateTimeOffset.UtcNow);
        try
        {
            steps.Add(new StepTime("server", clock.Elapsed, $"PostgreSQL on 127.0.0.1:{cluster.Port}, data in {directory}"));
            CliLog.StepDone(runtime.Logger, "server", clock.ElapsedMilliseconds, $"127.0.0.1:{cluster.Port}");
            await PrepareAsync(connectionString, seed, arguments.ExplicitSeed, steps, runtime, ct);
            var hidden = arguments.HidePassword ? $"password hidden (--hide-password); it is in {UpState.PathIn(directory)}, readable by you alone" : null;
            await SummaryAsync(connectionString, cluster.BinDirectory, hidden, steps, total.Elapsed, runtime, ct);
            await state.WriteAsync();
            // From here on a stop is the expected way out, whenever the signal comes: nothing below takes the token.
            await Console.Out.WriteLineAsync($"{ReadyMarker} Press Ctrl+C to stop it (data stays in {directory}).");
            await Console.Out.FlushAsync(CancellationToken.None);
            await StoppedAsync(ct);
        }
        finally
        {
            state.Delete();
            CliLog.StoppingServer(runtime.Logger, ct.IsCancellationRequested ? "signal" : "error");
            await server.DisposeAsync();
        }
        CliLog.ServerStopped(runtime.Logger, directory);
        await Console.Out.WriteLineAsync($"Stopped PostgreSQL; data kept in {directory}.");
        return ExitCodes.Success;
    }

    /// <summary>Completes when <paramref name="ct"/> is cancelled (Ctrl+C, SIGTERM, SIGHUP), without throwing.</summary>
    private static async Task StoppedAsync(CancellationToken ct)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (ct.Register(() => stopped.TrySetResult()))
            await stopped.Task;
    }

    /// <summary>Migrate (as Development), seed unless already seeded, refresh the views unless the seed just did; each step timed.</summary>
    private static async Task PrepareAsync(string connectionString, SeedOptions seed, bool explicitSeed, List<StepTime> steps, CliRuntime runtime, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var migratorOptions = runtime.MigrationRun(connectionString) with { EnvironmentName = MigrationRun.DevelopmentEnvironment };
        var migrated = await LiveProgress.MigrateAsync(runtime, migratorOptions, ct);
        var outcome = migrated.Applied.Count == 0
            ? $"up to date ({migrated.AlreadyApplied} migrations), schema verified"
            : $"applied {migrated.Applied.Count} migration(s), schema verified";
        steps.Add(new StepTime("migrate", clock.Elapsed, outcome));
        CliLog.StepDone(runtime.Logger, "migrate", clock.ElapsedMilliseconds, outcome);

        clock.Restart();
        SeedResult result;
        try
        {
            // No seed option given: the database's existing seed (another day's as-of, say) is kept, never replaced.
            result = await LiveProgress.SeedAsync(runtime, connectionString, seed with { KeepExisting = !explicitSeed }, ct);
        }
        catch (SeedRefusedException e)
        {
            throw CliException.Refusal(e.Message,
                "replace it with `clearway reset` (or `clearway seed --reset` with the options you want), or run up without seed options to keep it");
        }
        outcome = result.Outcome switch
        {
            SeedOutcome.Seeded => $"seeded {result.TotalRows:N0} rows ({seed.Canonical})",
            SeedOutcome.KeptExisting => $"skipped: kept the existing seed ({result.Existing})",
            _ => $"skipped: already seeded identically ({seed.Canonical})",
        };
        steps.Add(new StepTime("seed", clock.Elapsed, outcome));
        CliLog.StepDone(runtime.Logger, "seed", clock.ElapsedMilliseconds, outcome);

        if (result.Outcome == SeedOutcome.Seeded)
        {
            // The seed populated both views as its last step (a large seed's would take half a minute again).
            steps.Add(new StepTime("refresh views", TimeSpan.Zero, $"{string.Join(", ", MaterializedViews.All)} populated by the seed"));
            return;
        }
        var refresh = await DataVerbs.RefreshViewsCoreAsync(connectionString, runtime, ct);
        steps.Add(new StepTime("refresh views", refresh.Elapsed,
            $"{string.Join(", ", MaterializedViews.All)} refreshed {(refresh.Concurrently ? "concurrently" : "(first population, not concurrently)")}"));
    }

    /// <param name="hiddenPassword">Null prints the password; otherwise it is left out and this says where it is instead.</param>
    private static async Task SummaryAsync(string connectionString, string? binDirectory, string? hiddenPassword, List<StepTime> steps, TimeSpan total, CliRuntime runtime, CancellationToken ct)
    {
        Report.Steps(runtime, steps, total);
        Report.Rows(runtime, await TableRowCounts.ReadAsync(connectionString, ct));
        Report.Connection(connectionString, binDirectory, hiddenPassword);
    }
}
