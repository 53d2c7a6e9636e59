using System.CommandLine;
using Clearway.Data.Views;
using Clearway.Seeding;

namespace Clearway.Cli;

/// <summary>The verbs and options of <c>clearway</c>, each verb with examples for <c>--help</c>.</summary>
internal static class Commands
{
    /// <summary>Examples printed after System.CommandLine's help for each verb.</summary>
    public static readonly Dictionary<string, string[]> Examples = new(StringComparer.Ordinal)
    {
        ["clearway"] =
        [
            "clearway up                                   # PostgreSQL + migrations + dev seed, until Ctrl+C",
            "clearway status                               # against the running `up`, or --connection / ConnectionStrings__clearway",
            "clearway reset --yes                          # drop, migrate and seed again",
        ],
        ["up"] =
        [
            "clearway up",
            "clearway up --profile tiny --port 55432 --data-dir ./.pgdata",
            "clearway up --seed 7 --as-of 2026-01-15",
            "clearway up --hide-password                   # for CI logs",
            "clearway up --connection \"Host=localhost;Database=clearway;Username=postgres;Password=secret\"",
        ],
        ["migrate"] = ["clearway migrate", "clearway migrate --backup /tmp/clearway-before.dump"],
        ["status"] = ["clearway status", "clearway status --connection \"Host=db;Database=clearway;Username=app;Password=secret\""],
        ["script"] =
        [
            "clearway script --idempotent > clearway.sql",
            "clearway script --from Phase2CompleteSchema --to AddMaterializedViews",
        ],
        ["rollback"] = ["clearway rollback --to AddMaterializedViews", "clearway rollback --to 0 --force"],
        ["verify"] = ["clearway verify"],
        ["seed"] = ["clearway seed", "clearway seed --profile large --scale 0.5", "clearway seed --seed 7 --as-of 2026-01-15 --reset"],
        ["refresh-views"] = ["clearway refresh-views", "clearway refresh-views --every 1h   # the hourly job, until Ctrl+C"],
        ["reset"] = ["clearway reset", "clearway reset --yes --profile tiny"],
    };

    public static Command Build(Func<CliRuntime> runtime)
    {
        // A plain command named "clearway" rather than RootCommand, whose name (and so the help's usage line) would be
        // the assembly's, Clearway.Cli.
        var root = new Command("clearway",
            "clearway: a running, migrated, seeded Clearway PostgreSQL without Docker (`up`), and every schema operation by name.\n" +
            "Exit codes: 0 done, 1 failure, 2 bad input or refusal (nothing changed).")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };

        root.Subcommands.Add(Up(runtime));
        root.Subcommands.Add(Migrate(runtime));
        root.Subcommands.Add(Status(runtime));
        root.Subcommands.Add(Script());
        root.Subcommands.Add(Rollback(runtime));
        root.Subcommands.Add(Verify(runtime));
        root.Subcommands.Add(Seed(runtime));
        root.Subcommands.Add(RefreshViews(runtime));
        root.Subcommands.Add(Reset(runtime));
        return root;
    }

    private static Option<string> ConnectionOption() => NonEmpty(new("--connection", "-c")
    {
        Description = "Npgsql connection string (default: ConnectionStrings__clearway, else the server of a running `clearway up`)",
        HelpName = "connection-string",
    });

    private static Option<string> Text(string name, string description, string helpName) => new(name) { Description = description, HelpName = helpName };

    /// <summary>An option given with an empty value is bad input (exit 2), never the default.</summary>
    private static Option<string> NonEmpty(Option<string> option)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
                result.AddError($"{option.Name} is empty: give it a value or leave it out");
        });
        return option;
    }

    private static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    private static Command Up(Func<CliRuntime> runtime)
    {
        var profile = NonEmpty(Text("--profile", "Seed profile: tiny, dev or large [default: dev]", "tiny|dev|large"));
        var seed = NonEmpty(Text("--seed", $"Seed value [default: {SeedOptions.DefaultSeed}]", "N"));
        var scale = NonEmpty(Text("--scale", "Multiplies every row count of the profile [default: 1]", "X"));
        var asOf = NonEmpty(Text("--as-of", "\"Today\" of the generated data [default: today, UTC]", "YYYY-MM-DD"));
        var port = NonEmpty(new Option<string>("--port", "-p") { Description = "TCP port on 127.0.0.1, 1024 or above [default: a free one]", HelpName = "P" });
        var dataDir = NonEmpty(Text("--data-dir", $"Server directory, kept between runs [default: ${DataDirectory.Variable}, else ~/.clearway/postgres; as root /var/lib/clearway/postgres]", "D"));
        var hidePassword = Flag("--hide-password", "Print the connection string and psql line without the password (for CI logs); it stays in <data-dir>/clearway-up.json");
        var connection = ConnectionOption();
        connection.Description = "Use this existing server instead of starting one (also ConnectionStrings__clearway); prints the summary (never your password) and exits";
        var command = new Command("up",
            "Start PostgreSQL from local binaries (data dir kept between runs), migrate, seed (skipped when already seeded), refresh the views, " +
            "print rows per table, the connection string and a psql command line, then run until Ctrl+C, which stops the server.")
        {
            profile, seed, scale, asOf, port, dataDir, hidePassword, connection,
        };
        command.SetAction((result, ct) => Run(runtime, rt => UpVerb.RunAsync(new UpArguments(
            result.GetValue(profile), result.GetValue(seed), result.GetValue(scale), result.GetValue(asOf),
            result.GetValue(port), result.GetValue(dataDir), result.GetValue(connection), result.GetValue(hidePassword)), rt, ct)));
        return command;
    }

    private static Command Migrate(Func<CliRuntime> runtime)
    {
        var backup = Text("--backup", "pg_dump the database to this file first (custom format)", "file");
        var overwrite = Flag("--overwrite-backup", "Replace the --backup file if it exists (otherwise that is refused)");
        var force = Flag("--force", "Migrate a database that has tables but no Clearway migration history");
        var connection = ConnectionOption();
        var command = new Command("migrate", "Apply every pending migration (one transaction each, under the migration lock), then verify the schema.")
        {
            backup, overwrite, force, connection,
        };
        command.SetAction((result, ct) => Run(runtime, rt => SchemaVerbs.MigrateAsync(result.GetValue(connection), result.GetValue(backup), result.GetValue(overwrite), result.GetValue(force), rt, ct)));
        return command;
    }

    private static Command Status(Func<CliRuntime> runtime)
    {
        var connection = ConnectionOption();
        var command = new Command("status", "Every migration with version, applied/pending and applied-at; drift. Read only.") { connection };
        command.SetAction((result, ct) => Run(runtime, rt => SchemaVerbs.StatusAsync(result.GetValue(connection), rt, ct)));
        return command;
    }

    private static Command Script()
    {
        var from = Text("--from", "Last migration already applied (exclusive; 0 = empty database)", "migration|0");
        var to = Text("--to", "Last migration to include [default: the newest]", "migration");
        var idempotent = Flag("--idempotent", "Guard each migration with a check of the history table");
        var command = new Command("script", "Print the SQL that migrating would run (stdout; logs on stderr). Never connects.") { from, to, idempotent };
        command.SetAction((result, _) => SchemaVerbs.ScriptAsync(result.GetValue(from), result.GetValue(to), result.GetValue(idempotent)));
        return command;
    }

    private static Command Rollback(Func<CliRuntime> runtime)
    {
        var to = new Option<string>("--to")
        {
            Description = "Roll back to this migration (name, EF id or version; 0 = everything)",
            HelpName = "migration|0",
            Required = true,
        };
        var backup = Text("--backup", "pg_dump the database to this file first", "file");
        var overwrite = Flag("--overwrite-backup", "Replace the --backup file if it exists (otherwise that is refused)");
        var force = Flag("--force", "Drop tables that hold rows");
        var connection = ConnectionOption();
        var command = new Command("rollback", "Run the Down of every applied migration after the target, newest first.") { to, backup, overwrite, force, connection };
        command.SetAction((result, ct) => Run(runtime, rt => SchemaVerbs.RollbackAsync(result.GetValue(connection), result.GetValue(to), result.GetValue(backup), result.GetValue(overwrite), result.GetValue(force), rt, ct)));
        return command;
    }

    private static Command Verify(Func<CliRuntime> runtime)
    {
        var connection = ConnectionOption();
        var command = new Command("verify", "Compare the database with the schema manifest; exit 1 when it differs. Read only.") { connection };
        command.SetAction((result, ct) => Run(runtime, rt => SchemaVerbs.VerifyAsync(result.GetValue(connection), rt, ct)));
        return command;
    }

    private static (Option<string> Profile, Option<string> Seed, Option<string> Scale, Option<string> AsOf) SeedOptionSet() =>
    (
        Text("--profile", "Seed profile: tiny, dev or large [default: dev]", "tiny|dev|large"),
        Text("--seed", $"Seed value [default: {SeedOptions.DefaultSeed}]", "N"),
        Text("--scale", "Multiplies every row count of the profile [default: 1]", "X"),
        Text("--as-of", "\"Today\" of the generated data [default: today, UTC]", "YYYY-MM-DD")
    );

    private static Command Seed(Func<CliRuntime> runtime)
    {
        var (profile, seed, scale, asOf) = SeedOptionSet();
        var reset = Flag("--reset", "Replace a different seed written earlier by the seeder");
        var connection = ConnectionOption();
        var command = new Command("seed", "Seed the migrated database (skipped when it already holds exactly this seed). Refused in Production.")
        {
            profile, seed, scale, asOf, reset, connection,
        };
        command.SetAction((result, ct) => Run(runtime, rt => DataVerbs.SeedAsync(result.GetValue(connection),
            SeedOptions.Parse(result.GetValue(profile), result.GetValue(seed), result.GetValue(scale), result.GetValue(asOf), result.GetValue(reset)), rt, ct)));
        return command;
    }

    private static Command RefreshViews(Func<CliRuntime> runtime)
    {
        var connection = ConnectionOption();
        var every = new Option<TimeSpan?>("--every")
        {
            Description = "Keep refreshing at this interval until Ctrl+C, like the views worker: 30s, 5m, 1h, 1d",
            HelpName = "interval",
            CustomParser = result =>
            {
                try
                {
                    return RefreshInterval.Parse(result.Tokens.Count == 1 ? result.Tokens[0].Value : null);
                }
                catch (FormatException e)
                {
                    result.AddError(e.Message);
                    return null;
                }
            },
        };
        var command = new Command("refresh-views", "Refresh both materialized views concurrently (what the app's hourly cron does), once or --every interval.") { connection, every };
        command.SetAction((result, ct) => Run(runtime, rt => DataVerbs.RefreshViewsAsync(result.GetValue(connection), result.GetValue(every), rt, ct)));
        return command;
    }

    private static Command Reset(Func<CliRuntime> runtime)
    {
        var (profile, seed, scale, asOf) = SeedOptionSet();
        var yes = Flag("--yes", "Do not ask for confirmation (required when there is no terminal)");
        yes.Aliases.Add("-y");
        var connection = ConnectionOption();
        var command = new Command("reset",
            "Drop every Clearway table (rollback to 0), migrate and seed again. Only on a database that is ours, after confirmation; refused in Production.")
        {
            profile, seed, scale, asOf, yes, connection,
        };
        command.SetAction((result, ct) => Run(runtime, rt => DataVerbs.ResetAsync(result.GetValue(connection),
            SeedOptions.Parse(result.GetValue(profile), result.GetValue(seed), result.GetValue(scale), result.GetValue(asOf), reset: true), result.GetValue(yes), rt, ct)));
        return command;
    }

    private static async Task<int> Run(Func<CliRuntime> factory, Func<CliRuntime, Task<int>> verb)
    {
        using var runtime = factory();
        return await verb(runtime);
    }
}
