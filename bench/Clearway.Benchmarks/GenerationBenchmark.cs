using System.Diagnostics;
using System.Globalization;
using Clearway.Seeding;
using Clearway.Seeding.Generation;
using Clearway.Seeding.Tables;

namespace Clearway.Benchmarks;

/// <summary>`generate`: generation alone (no database), per table, to see what the COPY has to hide.</summary>
internal static class GenerationBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var profile = args.Length > 1 && args[0] == "--profile" ? SeedOptions.ParseProfile(args[1]) : SeedProfile.Large;
        var options = new SeedOptions { Profile = profile, AsOf = new DateOnly(2026, 6, 15) };
        var world = new SeedWorld(options, SeedPlan.For(options.Profile, options.Scale));
        var total = Stopwatch.StartNew();
        foreach (var table in SeedTables.All)
        {
            var clock = Stopwatch.StartNew();
            long rows = 0;
            foreach (var batch in table.Batches(world, 2048)) rows += batch.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{table.Name,-26} {rows,12:N0} rows {clock.ElapsedMilliseconds,8:N0} ms {rows / clock.Elapsed.TotalSeconds,12:N0} rows/s"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generation total: {total.Elapsed.TotalSeconds:N1} s"));
        return Task.FromResult(0);
    }
}
