using System.CommandLine;
using System.Globalization;
using Clearway.CommandLine;
using Clearway.Postgres;

namespace Clearway.Cli;

/// <summary>
/// The verbs of <c>clearway</c>: the migration verbs and the option sets from the shared surface
/// (Clearway.CommandLine), and the CLI's own verbs built from its option factories.
/// </summary>
internal static class Commands
{
    public const string Tool = "clearway";

    public static Command Build(Func<CliRuntime> runtime)
    {
        var root = CommandLineProgram.Root(Tool,
            "clearway: a running, migrated, seeded Clearway PostgreSQL without Docker (`up`), and every schema operation by name.\n" +
            "Exit codes: 0 done, 1 failure, 2 bad input or refusal (nothing changed).")
            .WithExamples(
                "clearway up                                   # PostgreSQL + migrations + dev seed, until Ctrl+C",
                "clearway status                               # against the running `up`, or --connection / ConnectionStrings__clearway",
                "clearway reset --yes                          # drop, migrate and seed again");

        root.Subcommands.Add(Up(runtime));
        MigrationVerbs.AddTo(root, (request, result, ct) => Run(runtime, rt => SchemaVerbs.RunAsync(request, Connection(result), rt, ct)),
            connected: () => [ClearwayOption.Connection()]);
        root.Subcommands.Add(Seed(runtime));
        root.Subcommands.Add(RefreshViews(runtime));
        root.Subcommands.Add(Reset(runtime));
        root.Subcommands.Add(StateVerbs.States(runtime));
        root.Subcommands.Add(StateVerbs.Snapshot(runtime));
        root.Subcommands.Add(StatisticsVerbs.Queries(runtime));
        root.Subcommands.Add(StatisticsVerbs.Indexes(runtime));
        root.Subcommands.Add(StatisticsVerbs.Explain(runtime));
        root.Subcommands.Add(EnvVerb.Create(runtime));
        root.Subcommands.Add(TestServerVerb.Create(runtime));
        return root;
    }

    /// <summary>The <c>--connection</c> given to the verb being run (every connecting verb has one).</summary>
    private static string? Connection(ParseResult result) =>
        result.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--connection") is Option<string> option ? result.GetValue(option) : null;

    private static Command Up(Func<CliRuntime> runtime)
    {
        var seed = new SeedOptionSet();
        var port = ClearwayOption.Typed("--port", "TCP port on 127.0.0.1, 1024 or above [default: a free one]", "P", ParsePort, "-p");
        var dataDir = ClearwayOption.Text("--data-dir", $"Server directory, kept between runs [default: ${DataDirectory.Variable}, else ~/.clearway/postgres; as root /var/lib/clearway/postgres]", "D");
        var slowQuery = ClearwayOption.Typed("--slow-query-ms",
            $"Log the plan of every statement slower than this in the server log (auto_explain); -1 logs none [default: {ServerSettings.DefaultSlowQueryMs}]", "ms", ParseSlowQueryMs);
        var hidePassword = ClearwayOption.Flag("--hide-password", "Print the connection string and psql line without the password (for CI logs); it stays in <data-dir>/clearway-up.json");
        var connection = ClearwayOption.Connection();
        connection.Description = "Use this existing server instead of starting one (also ConnectionStrings__clearway); prints the summary (never your password) and exits";
        var command = new Command("up",
            "Start PostgreSQL from local binaries (data dir kept between runs), migrate, seed (skipped when already seeded), refresh the views, " +
            "print rows per table, the connection string and a psql command line, then run until Ctrl+C, which stops the server.")
        {
            port, dataDir, slowQuery, hidePassword, connection,
        };
        foreach (var option in seed.All)
            command.Options.Add(option);
        command.WithExamples(
            "clearway up",
            "clearway up --profile tiny --port 55432 --data-dir ./.pgdata",
            "clearway up --seed 7 --as-of 2026-01-15",
            "clearway up --hide-password                   # for CI logs",
            "clearway up --connection \"Host=localhost;Database=clearway;Username=postgres;Password=secret\"");
        command.SetAction((result, ct) => Run(runtime, rt => UpVerb.RunAsync(new UpArguments(
            seed.Read(result), seed.AnyGiven(result), result.GetResult(port) is null ? null : result.GetValue(port),
            result.GetValue(dataDir), result.GetValue(connection), result.GetValue(hidePassword),
            result.GetResult(slowQuery) is null ? null : result.GetValue(slowQuery)), rt, ct)));
        return command;
    }

    private static Command Seed(Func<CliRuntime> runtime)
    {
        var seed = new SeedOptionSet();
        var mode = new SeedModeOptions();
        var connection = ClearwayOption.Connection();
        var command = new Command("seed", "Seed the migrated database (skipped when it already holds exactly this seed). Refused in Production.") { connection };
        foreach (var option in seed.All)
            command.Options.Add(option);
        mode.AddTo(command);
        command.WithExamples("clearway seed", "clearway seed --profile large --scale 0.5", "clearway seed --seed 7 --as-of 2026-01-15 --reset");
        command.SetAction((result, ct) => Run(runtime, rt =>
        {
            var options = new Seeding.SeederOptions();
            mode.ApplyTo(result, seed, options);
            return DataVerbs.SeedAsync(result.GetValue(connection), options.ToSeedOptions(), rt, ct);
        }));
        return command;
    }

    private static Command RefreshViews(Func<CliRuntime> runtime)
    {
        var connection = ClearwayOption.Connection();
        var every = IntervalOption.Optional();
        var command = new Command("refresh-views", "Refresh both materialized views concurrently (what the app's hourly cron does), once or --every interval.") { connection, every };
        command.WithExamples("clearway refresh-views", "clearway refresh-views --every 1h   # the hourly job, until Ctrl+C");
        command.SetAction((result, ct) => Run(runtime, rt => DataVerbs.RefreshViewsAsync(result.GetValue(connection), result.GetValue(every), rt, ct)));
        return command;
    }

    private static Command Reset(Func<CliRuntime> runtime)
    {
        var seed = new SeedOptionSet();
        var yes = ClearwayOption.Flag("--yes", "Do not ask for confirmation (required when there is no terminal)", "-y");
        var rebuild = ClearwayOption.Flag("--rebuild", "Roll every migration back, migrate and seed (runs every Down and Up) instead of putting the seed's template in place");
        var connection = ClearwayOption.Connection();
        var command = new Command("reset",
            "Put a fresh copy of the seed in place of the database, from its template (built first the first time), or --rebuild it. " +
            "Only on a database that is ours, after confirmation; refused in Production.")
        {
            yes, rebuild, connection,
        };
        foreach (var option in seed.All)
            command.Options.Add(option);
        command.WithExamples("clearway reset", "clearway reset --yes --profile tiny", "clearway reset --yes --rebuild   # rollback, migrate, seed");
        command.SetAction((result, ct) => Run(runtime, rt => DataVerbs.ResetAsync(result.GetValue(connection),
            seed.Read(result) with { Reset = true }, result.GetValue(yes), result.GetValue(rebuild), rt, ct)));
        return command;
    }

    private static int ParsePort(string text) =>
        string.IsNullOrWhiteSpace(text) ? throw new FormatException("--port is empty: give it a value or leave it out")
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535 ? port
        : throw new FormatException($"--port must be a whole number from 1 to 65535 (got '{text}'); pass a free TCP port, or leave --port out to get one");

    private static int ParseSlowQueryMs(string text) =>
        string.IsNullOrWhiteSpace(text) ? throw new FormatException("--slow-query-ms is empty: give it a value or leave it out")
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms) && ms >= -1 ? ms
        : throw new FormatException($"--slow-query-ms must be a whole number of milliseconds, or -1 to log no plans (got '{text}')");

    internal static async Task<int> Run(Func<CliRuntime> factory, Func<CliRuntime, Task<int>> verb)
    {
        using var runtime = factory();
        return await verb(runtime);
    }
}
