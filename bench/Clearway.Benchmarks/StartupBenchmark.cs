using Clearway.Data;
using System.Globalization;
using Clearway.Testing;

namespace Clearway.Benchmarks;

/// <summary>
/// `startup`: wall time of each worker process from start to exit where a developer waits for it: the migration
/// service with nothing to apply, the seeder on dev with --reset, the seeder skipping an already-seeded database.
/// </summary>
internal static class StartupBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = 5;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var n) && n > 0) runs = n;
            else
            {
                Console.Error.WriteLine($"startup: unknown option '{args[i]}' (options: --runs N)");
                return ExitCodes.Refused;
            }
        }

        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync();
        try
        {
            var cs = server.ConnectionStringFor(database);
            Console.WriteLine($"Clearway worker start-up benchmark: {runs} runs each after one warm-up, {Environment.ProcessorCount} cores");
            string[] seed = ["--profile", "dev", "--seed", "42", "--as-of", "2026-06-15"];
            var cases = new (string Name, string Dll, string[] Args)[]
            {
                ("MigrationService, nothing to apply", Workers.MigrationServiceDll, []),
                ("Seeder, dev --reset", Workers.SeederDll, [.. seed, "--reset"]),
                ("Seeder, already seeded (skip)", Workers.SeederDll, seed),
            };
            var medians = new List<(string Name, double Seconds)>();
            foreach (var (name, dll, arguments) in cases)
            {
                var times = new List<double>();
                for (var i = 0; i <= runs; i++)
                {
                    var run = await Workers.RunAsync(dll, arguments, cs);
                    if (run.ExitCode != 0) throw new InvalidOperationException($"{name} exited {run.ExitCode}: {run.StandardError}");
                    if (i > 0) times.Add(run.Elapsed.TotalSeconds); // the first run also migrates or seeds for the cases after it
                }
                times.Sort();
                var median = times[times.Count / 2];
                medians.Add((name, median));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-36} median {median,5:N2} s  (min {times[0]:N2}, max {times[^1]:N2})"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"startup medians of {runs}: {string.Join(", ", medians.Select(m => $"{m.Name} {m.Seconds:N2} s"))}"));
            return ExitCodes.Success;
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }
}
