using Clearway.Data;
using System.Diagnostics;
using System.Globalization;
using Clearway.Data.Migrator;
using Clearway.Testing;

namespace Clearway.Benchmarks;

/// <summary>
/// `migrate`: the in-process migrator on an empty database (all migrations) and a re-run with nothing to do; then the
/// built Clearway.MigrationService as a process, start to exit, for the same two cases (what the AppHost waits for).
/// </summary>
internal static class MigrateBenchmark
{
    private const int Runs = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0)
        {
            Console.Error.WriteLine("migrate: takes no options");
            return ExitCodes.Refused;
        }
        await using var server = await PostgresServer.StartAsync();
        var empty = new List<double>();
        var rerun = new List<double>();
        for (var i = 0; i <= Runs; i++)
        {
            var name = await server.CreateDatabaseAsync();
            var migrator = new ClearwayMigrator(new MigrationRun { ConnectionString = server.ConnectionStringFor(name), EnvironmentName = "Development" });
            var clock = Stopwatch.StartNew();
            var first = await migrator.MigrateAsync();
            var firstTime = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await migrator.MigrateAsync();
            var secondTime = clock.Elapsed.TotalMilliseconds;
            await server.DropDatabaseAsync(name);
            if (i == 0)
                continue; // warm-up: JIT and EF Core's first context
            empty.Add(firstTime);
            rerun.Add(secondTime);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {i}: empty -> {first.Applied.Count} migrations {firstTime:N0} ms ({string.Join(", ", first.Applied.Select(a => $"{a.Migration.Name} {a.Duration.TotalMilliseconds:N0} ms"))}); re-run {secondTime:N0} ms"));
        }

        var worker = WorkerDll();
        var processEmpty = new List<double>();
        var processNothing = new List<double>();
        var migrated = await server.CreateDatabaseAsync();
        for (var i = 0; i <= Runs; i++)
        {
            var fresh = NewName();
            var emptyTime = await TimeProcessAsync(worker, server.ConnectionStringFor(fresh));
            var nothingTime = await TimeProcessAsync(worker, server.ConnectionStringFor(migrated));
            await server.DropDatabaseAsync(fresh);
            if (i == 0)
                continue; // warm-up: the disk cache
            processEmpty.Add(emptyTime);
            processNothing.Add(nothingTime);
        }
        await server.DropDatabaseAsync(migrated);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"migrate medians over {Runs} runs: in-process empty database -> all migrations verified {Median(empty):N0} ms, re-run {Median(rerun):N0} ms; " +
            $"MigrationService process start to exit: empty database {Median(processEmpty):N0} ms, nothing to apply {Median(processNothing):N0} ms"));
        return ExitCodes.Success;
    }

    private static async Task<double> TimeProcessAsync(string dll, string connectionString)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.Environment["ConnectionStrings__clearway"] = connectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        await stdout;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"Clearway.MigrationService exited {process.ExitCode}: {await stderr}");
        return elapsed;
    }

    /// <summary>The worker built beside this benchmark (same configuration).</summary>
    private static string WorkerDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
        var dll = Path.Combine(root, "Clearway.MigrationService", "bin", configuration, "net10.0", "Clearway.MigrationService.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build Clearway.MigrationService ({configuration}) first: {dll}");
    }

    private static string NewName() => "bench_migrate_" + Guid.NewGuid().ToString("N")[..10];

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
