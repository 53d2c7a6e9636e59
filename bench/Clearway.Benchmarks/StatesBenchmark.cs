using System.Diagnostics;
using System.Globalization;
using Clearway.Data.Migrator;
using Clearway.Postgres;
using Clearway.Seeding;
using Clearway.States;
using Npgsql;

namespace Clearway.Benchmarks;

/// <summary>
/// `states`: on a throwaway local server with a database <c>clearway</c>, each way a developer puts a state in place,
/// beside the path it replaced, both measured in this one run, with the goal it is held to: <c>clearway reset --yes</c>
/// as a process (<c>--rebuild</c> against the template clone swapped in), a reseed back to a recipe seeded before (in
/// place against the store), a snapshot saved and restored, and with <c>--large</c> the large profile (its template
/// built, then reused). Then how PostgreSQL copies each template fastest (FILE_COPY or WAL_LOG), beside the store's choice.
/// </summary>
internal static class StatesBenchmark
{
    /// <summary>Timed runs per row; the median is reported.</summary>
    private const int Runs = 3;

    /// <summary>Pinned, so the CLI's resets and the in-process seeds name one dev recipe (one template, not two).</summary>
    private static readonly DateOnly AsOf = new(2026, 1, 15);

    private static string AsOfText => AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task<int> RunAsync(string[] args)
    {
        var large = false;
        foreach (var arg in args)
        {
            if (arg == "--large")
            {
                large = true;
                continue;
            }
            Console.Error.WriteLine($"states: unknown option '{arg}' (the only option is --large: adds the large profile, minutes)");
            return ExitCodes.Refused;
        }

        try
        {
            await using var server = await LocalPostgresServer.StartTemporaryAsync();
            var admin = new StateServer(server.ConnectionString());
            await admin.CreateAsync(ClearwayConnectionString.Name, CancellationToken.None);
            var connectionString = server.ConnectionString(ClearwayConnectionString.Name);
            // Migrated first (not timed): both reset paths start from what a developer has, a migrated database.
            await new ClearwayMigrator(new MigrationRun { ConnectionString = connectionString, EnvironmentName = MigrationRun.DevelopmentEnvironment }).MigrateAsync();
            // The options the CLI and the manager use when nothing is configured; kept to print the store's threshold.
            var storeOptions = new TemplateStoreOptions();
            var states = new DatabaseStates(connectionString, storeOptions);
            var version = await ServerVersionAsync(admin);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Clearway states benchmark: PostgreSQL {version} (throwaway local server), {Environment.ProcessorCount} cores, " +
                $"medians of {Runs}{(large ? ", large profile included" : "")}"));

            var rows = new List<Row> { await ResetAsync(connectionString), await ReseedAsync(states) };
            rows.AddRange(await SnapshotsAsync(states));
            if (large)
                rows.AddRange(await LargeAsync(states));
            var clones = await ClonesAsync(states, large);

            PrintSteps(rows);
            PrintClones(clones, storeOptions);
            return ExitCodes.Success;
        }
        catch (BenchmarkFailedException e)
        {
            Console.Error.WriteLine($"states: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>One line of the table: seconds before (null: there was no old path) and now, and the goal.</summary>
    private sealed record Row(string Step, double? Before, double Now, double Goal, string BeforeIs, string NowIs);

    /// <summary>
    /// <c>clearway reset --yes</c> on dev, the whole process as a developer waits for it: the default (the seed's template
    /// cloned and swapped in) and <c>--rebuild</c> (rollback, migrate, seed). One warm-up each, not counted.
    /// </summary>
    private static async Task<Row> ResetAsync(string connectionString)
    {
        // The connection goes in ConnectionStrings__clearway (the CLI reads it as it reads --connection): no password on a command line.
        string[] reset = ["reset", "--yes", "--profile", "dev", "--as-of", AsOfText];
        // The default first: its warm-up builds the dev template, which --rebuild's seed step then finds too.
        var now = await CliMedianAsync(reset, connectionString);
        var before = await CliMedianAsync([.. reset, "--rebuild"], connectionString);
        return new Row("clearway reset --yes (dev), whole process", before, now, 2,
            "--rebuild: rollback, migrate, seed (its seed step goes through the store too: a clone of the cached template)",
            "the template's clone swapped in");
    }

    private static async Task<double> CliMedianAsync(string[] arguments, string connectionString)
    {
        var line = "clearway " + string.Join(' ', arguments);
        var times = new List<double>();
        for (var i = 0; i <= Runs; i++)
        {
            var run = await Workers.RunAsync(Workers.CliDll, arguments, connectionString);
            if (run.ExitCode != ExitCodes.Success)
                throw new BenchmarkFailedException($"`{line}` exited {run.ExitCode}: {run.StandardError.Trim()}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {line}: {run.Elapsed.TotalSeconds:N2} s{(i == 0 ? " (warm-up, not counted)" : "")}"));
            if (i > 0)
                times.Add(run.Elapsed.TotalSeconds);
        }
        return Percentiles.Median(times);
    }

    /// <summary>
    /// Back to a recipe seeded before, in process as the manager's Reseed… and <c>clearway seed --reset</c> do it: dev seed
    /// 7, then 42, then 7 again (the one timed), by the old path (in place, one transaction: SeedRunner) and through the store.
    /// </summary>
    private static async Task<Row> ReseedAsync(DatabaseStates states)
    {
        var before = await ReseedMedianAsync(states, inPlace: true);
        var now = await ReseedMedianAsync(states, inPlace: false);
        return new Row("reseed dev to a recipe seeded before", before, now, 1,
            "in place: the 28 tables emptied and written in one transaction (SeedRunner)", "the recipe's cached template cloned and swapped in");
    }

    private static async Task<double> ReseedMedianAsync(DatabaseStates states, bool inPlace)
    {
        var path = inPlace ? "in place" : "through the store";
        SeedOptions Dev(int seed) => Recipe(SeedProfile.Dev, seed) with { InPlace = inPlace };
        // Seed 7 seen once (through the store that builds its template): every timed reseed goes back to it.
        var first = await SeedTimedAsync(states, Dev(7));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  reseed dev seed 7 {path}, first time: {first:N2} s (not counted)"));
        var times = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            await SeedTimedAsync(states, Dev(SeedOptions.DefaultSeed));
            var back = await SeedTimedAsync(states, Dev(7));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  reseed dev seed 42 -> 7 {path}: {back:N2} s"));
            times.Add(back);
        }
        return Percentiles.Median(times);
    }

    /// <summary>Save and restore of the live dev database, in process as the manager and <c>clearway snapshot</c> do them.</summary>
    private static async Task<Row[]> SnapshotsAsync(DatabaseStates states)
    {
        const string WarmUp = "bench-warm-up";
        // A warm-up pair first (this process's first copy and swap), not counted.
        await states.Snapshots.SaveAsync(WarmUp);
        await states.Snapshots.RestoreAsync(WarmUp, migrateForward: false);
        var names = Enumerable.Range(1, Runs).Select(i => "bench-" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var saves = new List<double>();
        foreach (var name in names)
            saves.Add(await TimeAsync(() => states.Snapshots.SaveAsync(name)));
        var restores = new List<double>();
        foreach (var name in names)
            restores.Add(await TimeAsync(() => states.Snapshots.RestoreAsync(name, migrateForward: false)));
        foreach (var name in names.Append(WarmUp))
            await states.Snapshots.RemoveAsync(name);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  snapshot save: {string.Join(", ", saves.Select(s => s.ToString("N2", CultureInfo.InvariantCulture)))} s; restore: {string.Join(", ", restores.Select(s => s.ToString("N2", CultureInfo.InvariantCulture)))} s"));
        const string New = "(none: snapshots are new)";
        return
        [
            new Row("snapshot save (dev)", null, Percentiles.Median(saves), 1, New, "a copy of the live database kept as a database of its own"),
            new Row("snapshot restore (dev)", null, Percentiles.Median(restores), 1, New, "the snapshot's clone swapped in"),
        ];
    }

    /// <summary>
    /// The large profile: its template built the first time (rows per second on this many cores), then the recipe seeded
    /// before (cached); the old path, in place, measured once: it had no cache, so a recipe seeded before cost what a first seed did.
    /// </summary>
    private static async Task<Row[]> LargeAsync(DatabaseStates states)
    {
        var large = Recipe(SeedProfile.Large, SeedOptions.DefaultSeed);
        var dev = Recipe(SeedProfile.Dev, SeedOptions.DefaultSeed);
        Console.WriteLine("  large, first time through the store (its template is built; minutes) ...");
        var clock = Stopwatch.StartNew();
        var built = await states.SeedAsync(large);
        var first = clock.Elapsed.TotalSeconds;
        if (built.Outcome != SeedOutcome.Seeded)
            throw new BenchmarkFailedException($"seeding {large.Canonical} was not done: {built.Message}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  large first time: {first:N1} s, {built.TotalRows:N0} rows, {built.TotalRows / first:N0} rows/s on {Environment.ProcessorCount} cores"));

        // Away to dev and back: now large is a recipe seeded before.
        await SeedTimedAsync(states, dev);
        var cached = await SeedTimedAsync(states, large);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  large seeded before (cached): {cached:N1} s"));

        await SeedTimedAsync(states, dev);
        Console.WriteLine("  large in place (the old path; minutes) ...");
        var inPlace = await SeedTimedAsync(states, large with { InPlace = true });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  large in place: {inPlace:N1} s"));
        await SeedTimedAsync(states, dev); // the live database back to dev: the clone measurements hold the large template, not a copy in use

        var rate = string.Create(CultureInfo.InvariantCulture, $"{built.TotalRows / first:N0} rows/s on {Environment.ProcessorCount} cores");
        return
        [
            new Row("large, first time", inPlace, first, 60, "in place, one transaction", $"the template built in parallel and swapped in ({rate})"),
            new Row("large, a recipe seeded before", inPlace, cached, 15, "in place again (no cache: the same run as the row above)", "the cached template cloned and swapped in"),
        ];
    }

    /// <summary>
    /// <c>CREATE DATABASE … TEMPLATE t STRATEGY FILE_COPY</c> against <c>WAL_LOG</c> from each template, interleaved
    /// (neither always runs right after the other's writes), beside the strategy the store picks by size.
    /// </summary>
    private static async Task<List<CloneRow>> ClonesAsync(DatabaseStates states, bool large)
    {
        List<SeedProfile> profiles = [SeedProfile.Tiny, SeedProfile.Dev];
        if (large)
            profiles.Add(SeedProfile.Large);
        var server = states.Store.Server;
        var rows = new List<CloneRow>();
        foreach (var profile in profiles)
        {
            // Held while it is copied, as every clone's source is: the store evicts no template in use. (Tiny is built here, not timed.)
            await using var lease = await states.Store.AcquireAsync(new StateRecipe(Recipe(profile, SeedOptions.DefaultSeed)));
            var fileCopy = new List<double>();
            var walLog = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                CloneStrategy[] order = [CloneStrategy.FileCopy, CloneStrategy.WalLog];
                if (i % 2 == 1)
                    Array.Reverse(order);
                foreach (var strategy in order)
                {
                    var clone = "clearway_bench_clone_" + i.ToString(CultureInfo.InvariantCulture);
                    var ms = await TimeAsync(() => server.CloneAsync(lease.Template, clone, strategy, CancellationToken.None)) * 1000;
                    await server.DropAsync(clone, CancellationToken.None);
                    (strategy == CloneStrategy.FileCopy ? fileCopy : walLog).Add(ms);
                }
            }
            var row = new CloneRow(SeedOptions.ProfileName(profile), lease.Bytes, Percentiles.Median(fileCopy), Percentiles.Median(walLog), lease.Strategy);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  clone {row.Template} ({Megabytes(row.Bytes)}): FILE_COPY {string.Join(", ", fileCopy.Select(Ms))} ms; WAL_LOG {string.Join(", ", walLog.Select(Ms))} ms"));
            rows.Add(row);
        }
        return rows;
    }

    private sealed record CloneRow(string Template, long Bytes, double FileCopyMs, double WalLogMs, CloneStrategy StoreChoice)
    {
        public CloneStrategy Faster => FileCopyMs < WalLogMs ? CloneStrategy.FileCopy : CloneStrategy.WalLog;
    }

    private static void PrintSteps(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine($"{"step",-42} {"before (the old path)",21} {"now",9} {"goal",8} {"met",4}");
        foreach (var row in rows)
        {
            var before = row.Before is { } b ? Seconds(b) : "—";
            var goal = string.Create(CultureInfo.InvariantCulture, $"≤ {row.Goal:0.#} s");
            Console.WriteLine($"{row.Step,-42} {before,21} {Seconds(row.Now),9} {goal,8} {(row.Now <= row.Goal ? "yes" : "no"),4}");
        }
        Console.WriteLine();
        foreach (var row in rows)
            Console.WriteLine($"  {row.Step}: before = {row.BeforeIs}; now = {row.NowIs}");
    }

    private static void PrintClones(List<CloneRow> rows, TemplateStoreOptions store)
    {
        Console.WriteLine();
        Console.WriteLine($"CREATE DATABASE … TEMPLATE, median of {Runs} each; the store copies files (FILE_COPY) from {Megabytes(store.FileCopyFromBytes)} on (TemplateStoreOptions.FileCopyFromBytes)");
        Console.WriteLine($"{"template",-8} {"size",10} {"FILE_COPY ms",13} {"WAL_LOG ms",11} {"faster",10} {"store's choice",26}");
        foreach (var row in rows)
        {
            var choice = $"{Name(row.StoreChoice)} ({(row.StoreChoice == row.Faster ? "the faster" : "the slower")})";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Template,-8} {Megabytes(row.Bytes),10} {row.FileCopyMs,13:N1} {row.WalLogMs,11:N1} {Name(row.Faster),10} {choice,26}"));
        }
    }

    private static SeedOptions Recipe(SeedProfile profile, int seed) => new() { Profile = profile, Seed = seed, AsOf = AsOf, Reset = true };

    /// <summary>Seeds (or reseeds: <see cref="SeedOptions.Reset"/>) and returns the seconds it took; a skip would be no measurement, so it fails.</summary>
    private static async Task<double> SeedTimedAsync(DatabaseStates states, SeedOptions options)
    {
        var clock = Stopwatch.StartNew();
        var result = await states.SeedAsync(options);
        var seconds = clock.Elapsed.TotalSeconds;
        if (result.Outcome != SeedOutcome.Seeded)
            throw new BenchmarkFailedException($"seeding {options.Canonical}{(options.InPlace ? " in place" : "")} was not done: {result.Message}");
        return seconds;
    }

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<string> ServerVersionAsync(StateServer server)
    {
        await using var connection = await server.OpenAdminAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static string Name(CloneStrategy strategy) => strategy == CloneStrategy.FileCopy ? "FILE_COPY" : "WAL_LOG";

    private static string Seconds(double seconds) => seconds.ToString(seconds < 10 ? "N2" : "N1", CultureInfo.InvariantCulture) + " s";

    private static string Ms(double ms) => ms.ToString("N1", CultureInfo.InvariantCulture);

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N1} MB");
}
