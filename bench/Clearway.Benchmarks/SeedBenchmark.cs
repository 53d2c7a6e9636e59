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
/// `seed`: on one server, (1) the seeder worker end to end on a profile (default large), as a process, sampling
/// its peak working set; (2) raw binary COPY of the same rows, each table generated into memory first and only
/// the COPY timed; (3) EF Core AddRange/SaveChanges of a smaller profile's rows (default dev), extrapolated.
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
        var rawFirst = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--profile" when i + 1 < args.Length: profile = SeedOptions.ParseProfile(args[++i]); break;
                case "--ef-profile" when i + 1 < args.Length: efProfile = SeedOptions.ParseProfile(args[++i]); break;
                case "--scale" when i + 1 < args.Length: scale = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--verbose": verbose = true; break;
                case "--raw-first": rawFirst = true; break;
                default:
                    Console.Error.WriteLine($"seed: unknown option '{args[i]}' (options: --profile large|dev|tiny, --scale X, --ef-profile dev|tiny, --verbose)");
                    return 2;
            }
        }

        var options = new SeedOptions { Profile = profile, Seed = SeedOptions.DefaultSeed, AsOf = AsOf, Scale = scale };
        Verbose = verbose;
        var efOptions = options with { Profile = efProfile, Scale = 1 };
        await using var server = await PostgresServer.StartAsync();
        var version = await ScalarAsync(server.AdminConnectionString, "SHOW server_version");
        Console.WriteLine($"Clearway seed benchmark: profile {SeedOptions.ProfileName(profile)} ({options.Canonical}), PostgreSQL {version} " +
                          $"({(server.IsPrivate ? "private server" : "CLEARWAY_TEST_POSTGRES")}), {Environment.ProcessorCount} cores");

        // A first load on a fresh server also pays for creating WAL segments; a warm-up on the same profile
        // takes that cost out of whichever measurement would otherwise come first.
        Console.WriteLine("[0/3] warm-up: raw COPY, not measured ...");
        await WithDatabaseAsync(server, cs => RawCopyAsync(cs, options));

        Measurement seeder = null!, raw = null!;
        foreach (var step in rawFirst ? new[] { "raw", "seeder" } : ["seeder", "raw"])
        {
            if (step == "seeder")
            {
                Console.WriteLine("[1/3] seeder worker end to end ...");
                seeder = await WithDatabaseAsync(server, cs => RunWorkerAsync(cs, options));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {seeder.Rows:N0} rows in {seeder.Elapsed.TotalSeconds:N1} s, peak working set {seeder.PeakBytes / 1048576.0:N0} MB"));
            }
            else
            {
                Console.WriteLine("[2/3] raw binary COPY of pre-generated rows ...");
                raw = await WithDatabaseAsync(server, cs => RawCopyAsync(cs, options));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {raw.Rows:N0} rows, COPY time {raw.Elapsed.TotalSeconds:N1} s"));
            }
        }

        Console.WriteLine($"[3/3] EF Core AddRange/SaveChanges on the {SeedOptions.ProfileName(efProfile)} profile ...");
        var ef = await WithDatabaseAsync(server, cs => EfCoreAsync(cs, efOptions));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {ef.Rows:N0} rows in {ef.Elapsed.TotalSeconds:N1} s"));

        var seederRate = seeder.Rows / seeder.Elapsed.TotalSeconds;
        var rawRate = raw.Rows / raw.Elapsed.TotalSeconds;
        var efRate = ef.Rows / ef.Elapsed.TotalSeconds;
        var efExtrapolated = TimeSpan.FromSeconds(seeder.Rows / efRate);
        var peakMb = seeder.PeakBytes / 1048576.0;
        var p = SeedOptions.ProfileName(profile);
        var inv = CultureInfo.InvariantCulture;

        Console.WriteLine();
        Console.WriteLine("| Loader | Rows | Time | Rows/s | Notes |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        Console.WriteLine(string.Create(inv, $"| Seeder, end to end ({p}) | {seeder.Rows:N0} | {seeder.Elapsed.TotalSeconds:N1} s | {seederRate:N0} | worker process start to exit: plan, generation overlapped with COPY, index rebuild, view refresh, commit |"));
        Console.WriteLine(string.Create(inv, $"| Raw binary COPY, rows pre-generated ({p}) | {raw.Rows:N0} | {raw.Elapsed.TotalSeconds:N1} s | {rawRate:N0} | same 28 tables, one transaction, same deferred-index load; generation ({raw.GenerationTime.TotalSeconds:N1} s) not timed; largest table in memory {raw.LargestTable} |"));
        Console.WriteLine(string.Create(inv, $"| EF Core AddRange/SaveChanges ({SeedOptions.ProfileName(efProfile)} sample) | {ef.Rows:N0} | {ef.Elapsed.TotalSeconds:N1} s | {efRate:N0} | 1,000 entities per context and SaveChanges; extrapolated to {seeder.Rows:N0} rows: {efExtrapolated.TotalMinutes:N1} min |"));
        Console.WriteLine(string.Create(inv, $"| Seeder peak working set ({p}) | | | | {peakMb:N0} MB (VmHWM of the worker process) |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(inv,
            $"seeder vs raw COPY: {seederRate / rawRate:N2}x (target >= 0.7), seeder vs EF Core: {seederRate / efRate:N1}x (target >= 6), seeder peak working set: {peakMb:N0} MB (target <= 500 MB)"));
        return 0;
    }

    private static bool Verbose;

    private sealed record Measurement(long Rows, TimeSpan Elapsed, long PeakBytes = 0, TimeSpan GenerationTime = default, string LargestTable = "");

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

    private static string WorkerDll()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var root = baseDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Clearway.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Clearway.sln not found");
        return Path.Combine(root.FullName, "Clearway.Seeder", "bin", baseDir.Parent!.Name, baseDir.Name, "Clearway.Seeder.dll");
    }

    /// <summary>The worker as a process, its peak resident set read from /proc every 50 ms (VmHWM only grows).</summary>
    private static async Task<Measurement> RunWorkerAsync(string cs, SeedOptions options)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(WorkerDll());
        foreach (var a in new[] { "--profile", SeedOptions.ProfileName(options.Profile), "--seed", options.Seed.ToString(CultureInfo.InvariantCulture),
                     "--scale", options.Scale.ToString("R", CultureInfo.InvariantCulture),
                     "--as-of", options.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(a);
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ConnectionStrings__clearway"] = cs;

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && (Verbose || line.Contains("Seeded table", StringComparison.Ordinal))) Console.WriteLine("      " + line.Trim());
        };
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peakKb = 0;
        while (!process.HasExited)
        {
            peakKb = Math.Max(peakKb, ReadVmHwmKb(process.Id));
            await Task.Delay(50);
        }
        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed;
        if (process.ExitCode != 0) throw new InvalidOperationException($"seeder exited {process.ExitCode}: {errors}");

        var rows = long.Parse(await ScalarAsync(cs, $"SELECT sum(value::bigint) FROM \"{SeedRunner.MarkerTable}\", jsonb_each_text(\"rows\")"), CultureInfo.InvariantCulture);
        return new Measurement(rows, elapsed, peakKb * 1024);
    }

    private static long ReadVmHwmKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }

    /// <summary>Each table generated into memory (untimed), then COPY alone timed; same transaction and index handling as the seeder.</summary>
    private static async Task<Measurement> RawCopyAsync(string cs, SeedOptions options)
    {
        var plan = SeedPlan.For(options.Profile, options.Scale);
        var world = new SeedWorld(options, plan);
        await using var dataSource = ClearwayNpgsql.CreateDataSource(cs);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var copy = new Stopwatch();
        var generation = new Stopwatch();
        long rows = 0, largest = 0;
        var largestName = "";

        copy.Start();
        var deferred = await BulkLoadDeferral.DropAsync(connection, plan.Tables.Where(t => t.Rows >= SeedRunner.DefaultDeferKeysFromRows).Select(t => t.Name).ToArray(), CancellationToken.None);
        copy.Stop();
        foreach (var table in SeedTables.All)
        {
            generation.Start();
            var batch = table.MaterializeAll(world);
            generation.Stop();
            if (batch.Count > largest) (largest, largestName) = (batch.Count, $"{table.Name}, {batch.Count:N0} rows");

            copy.Start();
            await using (var importer = await connection.BeginBinaryImportAsync(table.CopyCommand))
            {
                batch.WriteTo(importer);
                await importer.CompleteAsync();
            }
            copy.Stop();
            if (Verbose) Console.WriteLine($"      raw COPY {table.Name}: {batch.Count} rows, COPY total so far {copy.ElapsedMilliseconds} ms");
            rows += batch.Count;
            batch = null;
            GC.Collect();
        }
        copy.Start();
        await deferred.RestoreAsync(connection, CancellationToken.None);
        await transaction.CommitAsync();
        copy.Stop();
        return new Measurement(rows, copy.Elapsed, GenerationTime: generation.Elapsed, LargestTable: largestName);
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
