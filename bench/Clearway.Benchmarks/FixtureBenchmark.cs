using Clearway.States;
using Clearway.Data;
using System.Diagnostics;
using System.Globalization;
using Clearway.Data.Migrator;
using Clearway.Seeding;
using Clearway.Testing;
using Clearway.Testing.Databases;

namespace Clearway.Benchmarks;

/// <summary>
/// `fixture`: on one server, the time to hand a test a fresh seeded database by (a) template clone, warm from the
/// pool and cold under each copy strategy, (b) Respawn-style reset + reseed of one shared database, (c) migrate +
/// seed from scratch. Medians and p95 over repeated hand-outs; the test's own work is not timed.
/// </summary>
internal static class FixtureBenchmark
{
    private static readonly DateOnly AsOf = new(2026, 1, 15);

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = 25;
        if (args.Length > 0 && !(args is ["--runs", var text] && int.TryParse(text, CultureInfo.InvariantCulture, out runs) && runs > 2))
        {
            Console.Error.WriteLine("fixture: the only option is --runs N (N > 2)");
            return ExitCodes.Refused;
        }

        await using var server = await PostgresServer.StartAsync();
        Console.WriteLine($"Clearway fixture benchmark: {runs} hand-outs per row, PostgreSQL {(server.IsPrivate ? "private server" : "CLEARWAY_TEST_POSTGRES")}, {Environment.ProcessorCount} cores");
        var rows = new List<Row>();

        foreach (var profile in new[] { SeedProfile.Tiny, SeedProfile.Dev })
        {
            var options = new ClearwayDatabaseOptions { Profile = profile, AsOf = AsOf };
            await using (var warm = new ClearwayDatabaseFactory(server, new ClearwayDatabaseFactoryOptions { PoolSize = 2 }))
            {
                var build = Stopwatch.StartNew();
                var template = await warm.EnsureTemplateAsync(options);
                var buildTime = build.Elapsed;
                var size = await SizeAsync(server, template);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Name(profile)} template {template}: {buildTime.TotalSeconds:N1} s to build (once per server), {size}"));
                rows.Add(await MeasureAsync($"(a) clone, warm pool", profile, runs, async () =>
                {
                    // A test takes longer than a clone: let the pool refill, as it does between real tests.
                    while (await warm.ReadyClonesAsync(options, CancellationToken.None) < 2)
                        await Task.Delay(2);
                    var clock = Stopwatch.StartNew();
                    var db = await warm.CreateDatabaseAsync(options);
                    var elapsed = clock.Elapsed;
                    await db.DisposeAsync();
                    return elapsed;
                }));
            }

            foreach (var strategy in new[] { CloneStrategy.WalLog, CloneStrategy.FileCopy })
            {
                // The store copies files from this size on: 0 always, the largest size never.
                var store = new TemplateStoreOptions { FileCopyFromBytes = strategy == CloneStrategy.FileCopy ? 0 : long.MaxValue };
                await using var cold = new ClearwayDatabaseFactory(server, new ClearwayDatabaseFactoryOptions { PoolSize = 0, Store = store });
                await cold.EnsureTemplateAsync(options);
                rows.Add(await MeasureAsync($"(a) clone, cold, {strategy}", profile, runs, async () =>
                {
                    var clock = Stopwatch.StartNew();
                    var db = await cold.CreateDatabaseAsync(options);
                    var elapsed = clock.Elapsed;
                    await db.DisposeAsync();
                    return elapsed;
                }));
            }
        }

        var dev = new ClearwayDatabaseOptions { Profile = SeedProfile.Dev, AsOf = AsOf };
        await using (var factory = new ClearwayDatabaseFactory(server, new ClearwayDatabaseFactoryOptions { PoolSize = 0 }))
        await using (var shared = await factory.CreateSharedDatabaseAsync(dev))
        {
            rows.Add(await MeasureAsync("(b) reset + reseed shared", SeedProfile.Dev, Math.Min(runs, 5), async () =>
            {
                var clock = Stopwatch.StartNew();
                await shared.ResetAsync();
                return clock.Elapsed;
            }));
        }

        rows.Add(await MeasureAsync("(c) migrate + seed", SeedProfile.Dev, Math.Min(runs, 5), async () =>
        {
            var name = await server.CreateDatabaseAsync();
            var connectionString = server.ConnectionStringFor(name);
            var clock = Stopwatch.StartNew();
            await new ClearwayMigrator(new MigrationRun { ConnectionString = connectionString, EnvironmentName = "Development" }).MigrateAsync();
            await SeedRunner.SeedAsync(connectionString, dev.ToSeedOptions()!);
            var elapsed = clock.Elapsed;
            await server.DropDatabaseAsync(name);
            return elapsed;
        }));

        Console.WriteLine();
        Console.WriteLine($"{"method",-30} {"profile",-8} {"runs",5} {"median ms",10} {"p95 ms",9}");
        foreach (var row in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Method,-30} {Name(row.Profile),-8} {row.Runs,5} {row.Median,10:N1} {row.P95,9:N1}"));

        double Median(string method, SeedProfile profile) => rows.Single(r => r.Method == method && r.Profile == profile).Median;
        var warmTiny = Median("(a) clone, warm pool", SeedProfile.Tiny);
        var warmDev = Median("(a) clone, warm pool", SeedProfile.Dev);
        var coldTiny = rows.Where(r => r.Method.StartsWith("(a) clone, cold", StringComparison.Ordinal) && r.Profile == SeedProfile.Tiny).Min(r => r.Median);
        var coldDev = rows.Where(r => r.Method.StartsWith("(a) clone, cold", StringComparison.Ordinal) && r.Profile == SeedProfile.Dev).Min(r => r.Median);
        var reset = Median("(b) reset + reseed shared", SeedProfile.Dev);
        var scratch = Median("(c) migrate + seed", SeedProfile.Dev);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fixture medians (dev unless noted): warm clone {warmDev:N1} ms (tiny {warmTiny:N1} ms), cold clone {coldDev:N1} ms (tiny {coldTiny:N1} ms), " +
            $"reset+reseed {reset:N0} ms, migrate+seed {scratch:N0} ms; warm clone is {scratch / warmDev:N0}x and cold clone {scratch / coldDev:N0}x faster than migrate+seed"));
        return ExitCodes.Success;
    }

    private static async Task<Row> MeasureAsync(string method, SeedProfile profile, int runs, Func<Task<TimeSpan>> handOut)
    {
        await handOut(); // warm-up: JIT, connection pools
        var samples = new List<double>(runs);
        for (var i = 0; i < runs; i++)
            samples.Add((await handOut()).TotalMilliseconds);
        samples.Sort();
        var row = new Row(method, profile, runs, Percentile(samples, 0.5), Percentile(samples, 0.95));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {method} ({Name(profile)}): median {row.Median:N1} ms, p95 {row.P95:N1} ms"));
        return row;
    }

    private static double Percentile(List<double> sorted, double p)
    {
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    private static async Task<string> SizeAsync(PostgresServer server, string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT pg_size_pretty(pg_database_size($1))", connection);
        command.Parameters.AddWithValue(database);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static string Name(SeedProfile profile) => SeedOptions.ProfileName(profile);

    private sealed record Row(string Method, SeedProfile Profile, int Runs, double Median, double P95);
}
