using System.Diagnostics;
using System.Globalization;
using Clearway.Data;
using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Clearway.Postgres;
using Clearway.Seeding;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Fresh;
using Clearway.Seeding.Generation;
using Clearway.Seeding.Tables;
using Npgsql;

namespace Clearway.Benchmarks;

/// <summary>
/// `template-build`: what a large template's first build costs and why. (1) What each of the server-side levers a
/// fresh load relies on gives, on a durable server like a developer's (the container, <c>up</c>): the largest tables'
/// rows, generated into memory first so that only the server's work is timed, loaded on one connection with all three
/// levers, without each one in turn, and with none; each run ends with a checkpoint (the bytes on disk) and a first
/// full read (what the first reader of a clone pays). (2) The whole fresh load of the large profile on 1, 2, …
/// connections up to the core count: rows per second as it scales.
/// </summary>
internal static class TemplateBuildBenchmark
{
    /// <summary>The largest tables of the large profile: most of its rows, without holding all seven million in memory.</summary>
    private const int LeverTables = 4;

    private static readonly SeedOptions Large = new() { Profile = SeedProfile.Large, Seed = SeedOptions.DefaultSeed, AsOf = new DateOnly(2026, 1, 15) };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0)
        {
            Console.Error.WriteLine($"template-build: unknown option '{args[0]}' (it takes none)");
            return ExitCodes.Refused;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Clearway template-build benchmark: profile large ({Large.Canonical}), {Environment.ProcessorCount} cores"));
        var levers = await LeversAsync();
        var scaling = await ScalingAsync();
        PrintLevers(levers);
        PrintScaling(scaling);
        return ExitCodes.Success;
    }

    /// <summary>One way to load: which of the three levers it uses.</summary>
    private sealed record Variant(string Name, bool MinimalWal, bool Freeze, bool KeysAfter);

    private sealed record LeverResult(Variant Variant, long Rows, double Load, double Keys, double Checkpoint, double WalMb, double FirstRead)
    {
        public double Total => Load + Keys + Checkpoint;
    }

    private static readonly Variant[] Variants =
    [
        new("all three (what a template build does)", MinimalWal: true, Freeze: true, KeysAfter: true),
        new("without wal_level = minimal (replica)", MinimalWal: false, Freeze: true, KeysAfter: true),
        new("without COPY … FREEZE", MinimalWal: true, Freeze: false, KeysAfter: true),
        new("without building the keys after the load", MinimalWal: true, Freeze: true, KeysAfter: false),
        new("none of them", MinimalWal: false, Freeze: false, KeysAfter: false),
    ];

    private static async Task<List<LeverResult>> LeversAsync()
    {
        var plan = SeedPlan.For(Large.Profile, Large.Scale);
        var world = new SeedWorld(Large, plan);
        var tables = SeedTables.All.OrderByDescending(t => t.PlannedRows(plan)).Take(LeverTables).ToList();
        Console.WriteLine($"[levers] generating {string.Join(", ", tables.Select(t => t.Name))} into memory (not timed) ...");
        var batches = tables.Select(t => t.MaterializeAll(world)).ToList();

        var directory = Directory.CreateTempSubdirectory("clearway-bench-levers-").FullName;
        var cluster = new PostgresClusterOptions { Directory = directory, Durable = true };
        var results = new List<LeverResult>();
        try
        {
            foreach (var minimal in new[] { true, false })
            {
                var walLevel = minimal ? "minimal" : "replica";
                // wal_level takes a restart: set it (postgresql.auto.conf wins over Clearway's settings), then start again.
                await using (var configuring = await LocalPostgresServer.StartAsync(cluster))
                    await ExecuteAsync(configuring.ConnectionString(), $"ALTER SYSTEM SET wal_level = {walLevel}");
                await using var server = await LocalPostgresServer.StartAsync(cluster);
                if ((string?)await ScalarAsync(server.ConnectionString(), "SHOW wal_level") != walLevel)
                    throw new BenchmarkFailedException($"the server did not start with wal_level = {walLevel}");
                // A first load on a fresh cluster also pays for creating WAL segments: a warm-up takes that out.
                Console.WriteLine($"[levers] wal_level = {walLevel}: warm-up (not measured) ...");
                await RunVariantAsync(server, Variants[0] with { MinimalWal = minimal }, batches);
                foreach (var variant in Variants.Where(v => v.MinimalWal == minimal))
                {
                    Console.WriteLine($"[levers] {variant.Name} ...");
                    var result = await RunVariantAsync(server, variant, batches);
                    results.Add(result);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"         load {result.Load:N1} s, keys {result.Keys:N1} s, checkpoint {result.Checkpoint:N1} s, WAL {result.WalMb:N0} MB, first read {result.FirstRead:N1} s"));
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        return Variants.Select(v => results.Single(r => r.Variant == v)).ToList();
    }

    /// <summary>A new migrated database, every key dropped, the tables' keys built before or after their load.</summary>
    private static async Task<LeverResult> RunVariantAsync(LocalPostgresServer server, Variant variant, IReadOnlyList<RowBatch> batches)
    {
        var name = $"levers_{Guid.NewGuid():N}"[..20];
        await ExecuteAsync(server.ConnectionString(), $"CREATE DATABASE {name}");
        try
        {
            var cs = new NpgsqlConnectionStringBuilder(server.ConnectionString(name)) { CommandTimeout = 0, Pooling = false }.ConnectionString;
            await new ClearwayMigrator(new MigrationRun { ConnectionString = cs, EnvironmentName = MigrationRun.DevelopmentEnvironment }).MigrateAsync();
            // Clearway's enum mappings, as every loader has them; opened after the migration made the types.
            await using var dataSource = ClearwayNpgsql.CreateDataSource(cs);
            await using var connection = await dataSource.OpenConnectionAsync();
            await ExecuteAsync(connection, "SET maintenance_work_mem = '256MB'; SET max_parallel_maintenance_workers = 0");
            // Every table's keys go (a primary key cannot be dropped while another table's foreign key needs it);
            // only the loaded tables' primary keys, unique keys and indexes come back. No foreign key is measured.
            var keys = await TableKeys.DropAsync(connection, SeedPlan.TableOrder, CancellationToken.None);
            var loaded = batches.Select(b => b.Table.Name).ToHashSet(StringComparer.Ordinal);
            var statements = keys.Keys.Concat(keys.Indexes).Where(k => loaded.Contains(k.Table)).Select(k => k.Sql).ToList();
            if (!variant.KeysAfter)
                foreach (var sql in statements)
                    await ExecuteAsync(connection, sql);

            var walBefore = (string)(await ScalarAsync(connection, "SELECT pg_current_wal_insert_lsn()::text"))!;
            var clock = Stopwatch.StartNew();
            long rows = 0;
            foreach (var batch in batches)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                // Truncated in the loading transaction: what lets COPY freeze rows and, under wal_level = minimal, skip the WAL.
                await ExecuteAsync(connection, $"TRUNCATE public.{PostgresIdentifier.Quote(batch.Table.Name)}");
                await using (var importer = await connection.BeginBinaryImportAsync(variant.Freeze ? batch.Table.FreezingCopyCommand : batch.Table.CopyCommand))
                {
                    importer.Timeout = TimeSpan.Zero;
                    batch.WriteTo(importer);
                    rows += (long)await importer.CompleteAsync();
                }
                await transaction.CommitAsync();
            }
            var load = clock.Elapsed.TotalSeconds;

            clock.Restart();
            if (variant.KeysAfter)
                foreach (var sql in statements)
                    await ExecuteAsync(connection, sql);
            var keysTime = clock.Elapsed.TotalSeconds;

            clock.Restart();
            await ExecuteAsync(connection, "CHECKPOINT");
            var checkpoint = clock.Elapsed.TotalSeconds;
            var wal = Convert.ToDouble(await ScalarAsync(connection, $"SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '{walBefore}')"), CultureInfo.InvariantCulture);

            // A heap scan of every row, and writing back what it dirtied: unfrozen rows get their hint bits set here.
            clock.Restart();
            await ExecuteAsync(connection, "SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off");
            foreach (var batch in batches)
                await ScalarAsync(connection, $"SELECT count(*) FROM public.{PostgresIdentifier.Quote(batch.Table.Name)}");
            await ExecuteAsync(connection, "CHECKPOINT");
            var firstRead = clock.Elapsed.TotalSeconds;
            return new LeverResult(variant, rows, load, keysTime, checkpoint, wal / 1048576.0, firstRead);
        }
        finally
        {
            await ExecuteAsync(server.ConnectionString(), $"DROP DATABASE {name} WITH (FORCE)");
        }
    }

    private sealed record ScalingResult(int Connections, long Rows, double Seconds)
    {
        public double RowsPerSecond => Rows / Seconds;
    }

    /// <summary>The whole fresh load of the large profile, as a template build runs it, on 1..cores connections.</summary>
    private static async Task<List<ScalingResult>> ScalingAsync()
    {
        var results = new List<ScalingResult>();
        for (var connections = 1; connections <= Environment.ProcessorCount; connections++)
        {
            Console.WriteLine($"[scaling] the large fresh load on {connections} connection(s) (minutes) ...");
            await using var server = await LocalPostgresServer.StartTemporaryAsync();
            await ExecuteAsync(server.ConnectionString(), "CREATE DATABASE clearway");
            var cs = server.ConnectionString("clearway");
            await new ClearwayMigrator(new MigrationRun { ConnectionString = cs, EnvironmentName = MigrationRun.DevelopmentEnvironment }).MigrateAsync();
            var clock = Stopwatch.StartNew();
            var seeded = await new FreshLoader(cs, parallelism: connections).LoadAsync(Large);
            var result = new ScalingResult(connections, seeded.TotalRows, clock.Elapsed.TotalSeconds);
            results.Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"          {result.Rows:N0} rows in {result.Seconds:N1} s, {result.RowsPerSecond:N0} rows/s"));
        }
        return results;
    }

    private static void PrintLevers(IReadOnlyList<LeverResult> results)
    {
        var baseline = results[0];
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Levers: the {LeverTables} largest tables ({baseline.Rows:N0} rows, pre-generated), one connection, a durable server"));
        Console.WriteLine("| Levers | COPY | Keys after | Checkpoint | Total | WAL | First read + write-back |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Variant.Name} | {r.Load:N1} s | {(r.Variant.KeysAfter ? $"{r.Keys:N1} s" : "(kept during the load)")} | {r.Checkpoint:N1} s | {r.Total:N1} s ({r.Total / baseline.Total:N2}×) | {r.WalMb:N0} MB | {r.FirstRead:N1} s |"));
    }

    private static void PrintScaling(IReadOnlyList<ScalingResult> results)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Scaling: the whole large fresh load (generation, COPY, keys, views, ANALYZE), {Environment.ProcessorCount} cores, a throwaway server"));
        Console.WriteLine("| Connections | Rows | Time | Rows/s | Speed-up |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Connections} | {r.Rows:N0} | {r.Seconds:N1} s | {r.RowsPerSecond:N0} | {results[0].Seconds / r.Seconds:N2}× |"));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, sql);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await ScalarAsync(connection, sql);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return await command.ExecuteScalarAsync();
    }
}
