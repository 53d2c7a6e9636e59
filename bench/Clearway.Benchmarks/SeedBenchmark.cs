using System.Diagnostics;
using System.Globalization;
using Clearway.Data;
using Clearway.Seeding;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Generation;
using Clearway.Seeding.Tables;
using Clearway.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Clearway.Benchmarks;

/// <summary>
/// `seed`, on one server and from one run: (1) the seeder worker end to end on a profile (default large), as a
/// process, sampling its peak working set; (2) raw binary COPY of the same rows, each table generated into memory
/// first and only the load timed, with the seeder's load procedure (the same keys deferred and restored); (3) the
/// floor: the same rows COPYed into the 28 tables with no foreign keys and no plain secondary indexes (primary and
/// unique keys only), what the server can ingest at all; (4) EF Core AddRange/SaveChanges of a smaller profile's
/// rows (default dev), extrapolated.
/// </summary>
internal static class SeedBenchmark
{
    private static readonly DateOnly AsOf = new(2026, 6, 15);

    public static async Task<int> RunAsync(string[] args)
    {
        var profile = SeedProfile.Large;
        var efProfile = SeedProfile.Dev;
        var scale = 1.0;
        var verbose = false;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--profile" when i + 1 < args.Length: profile = SeedOptions.ParseProfile(args[++i]); break;
                    case "--ef-profile" when i + 1 < args.Length: efProfile = SeedOptions.ParseProfile(args[++i]); break;
                    case "--scale" when i + 1 < args.Length: scale = SeedOptions.ParseScale(args[++i]); break;
                    case "--verbose": verbose = true; break;
                    default: throw new SeedInputException($"unknown option '{args[i]}'");
                }
            }
        }
        catch (SeedInputException e)
        {
            Console.Error.WriteLine($"seed: {e.Message} (options: --profile large|dev|tiny, --scale X, --ef-profile dev|tiny, --verbose)");
            return ExitCodes.Refused;
        }

        var options = new SeedOptions { Profile = profile, Seed = SeedOptions.DefaultSeed, AsOf = AsOf, Scale = scale };
        var efOptions = options with { Profile = efProfile, Scale = 1 };
        await using var server = await PostgresServer.StartAsync();
        var version = await ScalarAsync(server.AdminConnectionString, "SHOW server_version");
        Console.WriteLine($"Clearway seed benchmark: profile {SeedOptions.ProfileName(profile)} ({options.Canonical}), PostgreSQL {version} " +
                          $"({(server.IsPrivate ? "private server" : "CLEARWAY_TEST_POSTGRES")}), {Environment.ProcessorCount} cores");

        // A first load on a fresh server also pays for creating WAL segments: a warm-up takes that cost out of
        // whichever measurement would otherwise come first.
        Console.WriteLine("[0/4] warm-up: floor load, not measured ...");
        await WithDatabaseAsync(server, cs => PreGeneratedAsync(cs, options, Load.Floor, verbose));

        Console.WriteLine("[1/4] seeder worker end to end ...");
        var seeder = await WithDatabaseAsync(server, cs => RunWorkerAsync(cs, options, verbose));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {seeder.Rows:N0} rows in {seeder.Elapsed.TotalSeconds:N1} s, peak working set {seeder.PeakBytes / 1048576.0:N0} MB"));

        Console.WriteLine("[2/4] raw binary COPY of pre-generated rows, the seeder's load procedure ...");
        var raw = await WithDatabaseAsync(server, cs => PreGeneratedAsync(cs, options, Load.SeederProcedure, verbose));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {raw.Rows:N0} rows, load time {raw.Elapsed.TotalSeconds:N1} s"));

        Console.WriteLine("[3/4] floor: pre-generated rows into tables with primary and unique keys only ...");
        var floor = await WithDatabaseAsync(server, cs => PreGeneratedAsync(cs, options, Load.Floor, verbose));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {floor.Rows:N0} rows, COPY time {floor.Elapsed.TotalSeconds:N1} s"));

        Console.WriteLine($"[4/4] EF Core AddRange/SaveChanges on the {SeedOptions.ProfileName(efProfile)} profile ...");
        var ef = await WithDatabaseAsync(server, cs => EfCoreAsync(cs, efOptions));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {ef.Rows:N0} rows in {ef.Elapsed.TotalSeconds:N1} s"));

        var seederRate = seeder.Rows / seeder.Elapsed.TotalSeconds;
        var rawRate = raw.Rows / raw.Elapsed.TotalSeconds;
        var floorRate = floor.Rows / floor.Elapsed.TotalSeconds;
        var efRate = ef.Rows / ef.Elapsed.TotalSeconds;
        var efExtrapolated = TimeSpan.FromSeconds(seeder.Rows / efRate);
        var peakMb = seeder.PeakBytes / 1048576.0;
        var p = SeedOptions.ProfileName(profile);
        var inv = CultureInfo.InvariantCulture;

        Console.WriteLine();
        Console.WriteLine("| Loader | Rows | Time | Rows/s | vs floor | Notes |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        Console.WriteLine(string.Create(inv, $"| Seeder, end to end ({p}) | {seeder.Rows:N0} | {seeder.Elapsed.TotalSeconds:N1} s | {seederRate:N0} | {seederRate / floorRate:N2}x | worker process start to exit: plan, generation overlapped with COPY, keys restored, views refreshed, commit; peak working set {peakMb:N0} MB |"));
        Console.WriteLine(string.Create(inv, $"| Raw binary COPY, seeder's load procedure ({p}) | {raw.Rows:N0} | {raw.Elapsed.TotalSeconds:N1} s | {rawRate:N0} | {rawRate / floorRate:N2}x | rows pre-generated ({raw.GenerationTime.TotalSeconds:N1} s, not timed); same deferred indexes and foreign keys, restored; one transaction |"));
        Console.WriteLine(string.Create(inv, $"| Floor: COPY into primary and unique keys only ({p}) | {floor.Rows:N0} | {floor.Elapsed.TotalSeconds:N1} s | {floorRate:N0} | 1.00x | no foreign keys, no plain secondary indexes, nothing restored (rolled back) |"));
        Console.WriteLine(string.Create(inv, $"| EF Core AddRange/SaveChanges ({SeedOptions.ProfileName(efProfile)} sample) | {ef.Rows:N0} | {ef.Elapsed.TotalSeconds:N1} s | {efRate:N0} | {efRate / floorRate:N2}x | 1,000 entities per context and SaveChanges; extrapolated to {seeder.Rows:N0} rows: {efExtrapolated.TotalMinutes:N1} min |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(inv,
            $"seed {p}: seeder {seeder.Elapsed.TotalSeconds:N1} s ({seederRate:N0} rows/s), seeder vs floor {seederRate / floorRate:N2}x (goal >= 0.8), raw vs floor {rawRate / floorRate:N2}x, seeder vs raw {seederRate / rawRate:N2}x, seeder vs EF Core {seederRate / efRate:N1}x, peak working set {peakMb:N0} MB (goal <= 500)"));
        return ExitCodes.Success;
    }

    private enum Load { SeederProcedure, Floor }

    private sealed record Measurement(long Rows, TimeSpan Elapsed, long PeakBytes = 0, TimeSpan GenerationTime = default);

    private static async Task<Measurement> WithDatabaseAsync(PostgresServer server, Func<string, Task<Measurement>> run)
    {
        var name = await server.CreateDatabaseAsync();
        try
        {
            var cs = server.ConnectionStringFor(name);
            await using (var context = new ClearwayDbContext(ClearwayNpgsql.Options(cs)))
                await context.Database.MigrateAsync();
            NpgsqlConnection.ClearAllPools();
            return await run(cs);
        }
        finally
        {
            await server.DropDatabaseAsync(name);
        }
    }

    private static async Task<string> ScalarAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }

    private static async Task<Measurement> RunWorkerAsync(string cs, SeedOptions options, bool verbose)
    {
        var run = await Workers.RunAsync(Workers.SeederDll,
            ["--profile", SeedOptions.ProfileName(options.Profile), "--seed", options.Seed.ToString(CultureInfo.InvariantCulture),
             "--scale", options.Scale.ToString("R", CultureInfo.InvariantCulture), "--as-of", options.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
            cs, line => { if (verbose || line.Contains("Seeded table", StringComparison.Ordinal) || line.Contains("Rebuilt", StringComparison.Ordinal)) Console.WriteLine("      " + line.Trim()); });
        if (run.ExitCode != 0) throw new InvalidOperationException($"seeder exited {run.ExitCode}: {run.StandardError}");
        var rows = long.Parse(await ScalarAsync(cs, $"SELECT sum(value::bigint) FROM \"{SeedRunner.MarkerTable}\", jsonb_each_text(\"rows\")"), CultureInfo.InvariantCulture);
        return new Measurement(rows, run.Elapsed, run.PeakBytes);
    }

    /// <summary>
    /// Each table generated into memory (untimed), then only the load timed, in one transaction: the seeder's
    /// procedure (its deferred keys dropped and restored), or the floor (every foreign key and plain index dropped,
    /// nothing restored, rolled back).
    /// </summary>
    private static async Task<Measurement> PreGeneratedAsync(string cs, SeedOptions options, Load load, bool verbose)
    {
        var plan = SeedPlan.For(options.Profile, options.Scale);
        var world = new SeedWorld(options, plan);
        await using var dataSource = ClearwayNpgsql.CreateDataSource(new NpgsqlConnectionStringBuilder(cs) { CommandTimeout = 0 }.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var clock = new Stopwatch();
        var generation = new Stopwatch();
        long rows = 0;

        clock.Start();
        var deferred = load == Load.Floor
            ? SeedPlan.TableOrder
            : plan.Tables.Where(t => t.Rows >= SeedRunner.DeferKeysFromRows).Select(t => t.Name).ToList();
        var deferral = await BulkLoadDeferral.DropAsync(connection, deferred.ToArray(), CancellationToken.None);
        clock.Stop();
        foreach (var table in SeedTables.All)
        {
            generation.Start();
            var batch = table.MaterializeAll(world);
            generation.Stop();

            clock.Start();
            await using (var importer = await connection.BeginBinaryImportAsync(table.CopyCommand))
            {
                importer.Timeout = TimeSpan.Zero;
                batch.WriteTo(importer);
                await importer.CompleteAsync();
            }
            clock.Stop();
            if (verbose) Console.WriteLine($"      {load} {table.Name}: {batch.Count} rows, load time so far {clock.ElapsedMilliseconds} ms");
            rows += batch.Count;
            batch = null;
            GC.Collect();
        }
        clock.Start();
        if (load == Load.Floor)
        {
            await transaction.RollbackAsync();
        }
        else
        {
            await deferral.RestoreAsync(connection, CancellationToken.None);
            await transaction.CommitAsync();
        }
        clock.Stop();
        return new Measurement(rows, clock.Elapsed, GenerationTime: generation.Elapsed);
    }

    /// <summary>EF Core the usual way: entities added to a context, SaveChanges every 1,000 (Npgsql batches the INSERTs).</summary>
    private static async Task<Measurement> EfCoreAsync(string cs, SeedOptions options)
    {
        var plan = SeedPlan.For(options.Profile, options.Scale);
        var world = new SeedWorld(options, plan);
        var clock = new Stopwatch();
        long rows = 0;
        foreach (var table in SeedTables.All)
        {
            var entities = table.Entities(world).ToList();
            clock.Start();
            foreach (var chunk in entities.Chunk(1000))
            {
                await using var context = new ClearwayDbContext(ClearwayNpgsql.Options(cs));
                context.AddRange(chunk);
                await context.SaveChangesAsync();
            }
            clock.Stop();
            rows += entities.Count;
        }
        return new Measurement(rows, clock.Elapsed);
    }
}
