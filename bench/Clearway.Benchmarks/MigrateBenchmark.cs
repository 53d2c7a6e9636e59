using System.Diagnostics;
using System.Globalization;
using Clearway.Data.Migrator;
using Clearway.Testing;

namespace Clearway.Benchmarks;

/// <summary>`migrate`: the in-process migrator on an empty database (all migrations) and a re-run with nothing to do.</summary>
internal static class MigrateBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0)
        {
            Console.Error.WriteLine("migrate: takes no options");
            return 2;
        }
        await using var server = await PostgresServer.StartAsync();
        var empty = new List<double>();
        var rerun = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var name = await server.CreateDatabaseAsync();
            var migrator = new ClearwayMigrator(new MigratorOptions { ConnectionString = server.ConnectionStringFor(name), EnvironmentName = "Development" });
            var clock = Stopwatch.StartNew();
            var first = await migrator.MigrateAsync();
            var firstTime = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await migrator.MigrateAsync();
            var secondTime = clock.Elapsed.TotalMilliseconds;
            await server.DropDatabaseAsync(name);
            if (i == 0)
                continue; // warm-up: JIT and EF model building
            empty.Add(firstTime);
            rerun.Add(secondTime);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {i}: empty -> {first.Applied.Count} migrations {firstTime:N0} ms ({string.Join(", ", first.Applied.Select(a => $"{a.Migration.Name} {a.Duration.TotalMilliseconds:N0} ms"))}); re-run {secondTime:N0} ms"));
        }
        empty.Sort();
        rerun.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"migrate medians over {empty.Count} runs: empty database -> all migrations verified {empty[empty.Count / 2]:N0} ms, re-run {rerun[rerun.Count / 2]:N0} ms"));
        return 0;
    }
}
