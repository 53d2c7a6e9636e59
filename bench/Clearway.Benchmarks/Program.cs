using Clearway;
using Clearway.Benchmarks;

// A small verb dispatcher: each verb is one benchmark that prints its own table.
var verbs = new Dictionary<string, (string Help, Func<string[], Task<int>> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["fixture"] = ("time to hand a test a fresh seeded database: template clone (warm pool, cold) vs reset+reseed vs migrate+seed (option: --runs N)", FixtureBenchmark.RunAsync),
    ["migrate"] = ("the in-process migrator: empty database to all migrations (verified), then a re-run", MigrateBenchmark.RunAsync),
    ["seed"] = ("seeder end to end vs raw binary COPY (seeder's load procedure) vs the floor (primary and unique keys only) vs EF Core, as ratios, and the seeder's peak working set (options: --profile large|dev|tiny, --scale X, --ef-profile dev|tiny, --verbose)", SeedBenchmark.RunAsync),
    ["startup"] = ("wall time of each worker process: migration service with nothing to apply, seeder dev --reset, seeder skip; medians (option: --runs N, default 5)", StartupBenchmark.RunAsync),
    ["apphost"] = ("`dotnet run --project Clearway.AppHost` to seeder Finished, fresh volume then the same one, beside an empty AppHost to its dashboard; the dbmanager's Reseed… (dev seed 7, first time then seeded before), Reset database, Save and Restore snapshot, command to result (arguments: AppHost settings, e.g. --Clearway:Postgres:PgAdmin=true)", AppHostBenchmark.RunAsync),
    ["states"] = ("on a throwaway server, before (the old path) vs now vs goal: `clearway reset --yes` (--rebuild vs template clone), reseed to a recipe seeded before (in place vs store), snapshot save and restore; FILE_COPY vs WAL_LOG clones per template (option: --large adds the large profile: minutes)", StatesBenchmark.RunAsync),
    ["testdbs"] = ("`clearway test-server` over HTTP (GET a clearway-tiny database + recreate) and the in-process fixture, 1 and 8 clients at once, p50/p95/p99, beside IntegreSQL's published figures (option: --requests N, default 200)", TestDatabasesBenchmark.RunAsync),
    ["template-build"] = ("the large template's first build: what wal_level = minimal, COPY … FREEZE and keys built after the load each give (the largest tables, a durable server), and the whole fresh load on 1..cores connections (rows/s as it scales; minutes)", TemplateBuildBenchmark.RunAsync),
    ["generate"] = ("generation alone, per table, no database (options: --profile large|dev|tiny)", GenerationBenchmark.RunAsync),
};

if (args.Length == 0 || !verbs.TryGetValue(args[0], out var verb))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Clearway.Benchmarks -- <verb> [options]");
    foreach (var (name, (help, _)) in verbs) Console.Error.WriteLine($"  {name,-14} {help}");
    return ExitCodes.Refused;
}

return await verb.Run(args[1..]);
