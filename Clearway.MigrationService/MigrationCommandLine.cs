using System.CommandLine;
using System.CommandLine.Parsing;
using Clearway.Data;

namespace Clearway.MigrationService;

/// <summary>What the worker was asked to do.</summary>
internal sealed record MigrationCommand(string Verb)
{
    public string? From { get; init; }
    public string? To { get; init; }
    public bool Idempotent { get; init; }
    public bool Force { get; init; }
    public string? BackupFile { get; init; }
    public bool OverwriteBackup { get; init; }

    /// <summary>The host's own options (<c>--environment</c>, <c>--contentRoot</c>, <c>--applicationName</c>), passed on to it.</summary>
    public string? Environment { get; init; }
    public string? ContentRoot { get; init; }
    public string? ApplicationName { get; init; }

    /// <summary>Verbs that never connect (no connection string needed).</summary>
    public bool IsOffline => Verb == "script";
}

/// <summary>The worker's verbs and options (System.CommandLine): no verb means <c>migrate</c>, as the AppHost runs it.</summary>
internal static class MigrationCommandLine
{
    public const string Name = "Clearway.MigrationService";

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Migrate and verify the Clearway database (no verb: migrate), or inspect, script or roll it back.\n" +
            "Exit codes: 0 done, 1 failure, 2 bad input or refusal (nothing changed).");
        root.Options.Add(HostOption("--environment", "Host environment; anything but Development needs CONFIRM_MIGRATION=yes to change the database [default: DOTNET_ENVIRONMENT, else Production]"));
        root.Options.Add(HostOption("--contentRoot", "Host content root [default: the app's folder]"));
        root.Options.Add(HostOption("--applicationName", "Host application name"));
        AddChangeOptions(root);
        var migrate = new Command("migrate", "Apply every pending migration (one transaction each, under the run lock), then verify the schema (the default).");
        AddChangeOptions(migrate);
        root.Subcommands.Add(migrate);
        root.Subcommands.Add(new Command("status", "Every migration with version, applied/pending and applied-at; drift. Read only."));
        root.Subcommands.Add(new Command("verify", "Compare the database with the schema manifest; exit 1 when it differs. Read only."));
        root.Subcommands.Add(new Command("script", "Print the SQL that migrating would run (stdout; logs on stderr). Never connects.")
        {
            NotEmpty(new Option<string>("--from") { Description = "Last migration already applied (exclusive; 0 = empty database)", HelpName = "migration|0" }),
            NotEmpty(new Option<string>("--to") { Description = "Last migration to include [default: the newest]", HelpName = "migration" }),
            new Option<bool>("--idempotent") { Description = "Guard each migration with a check of the history table" },
        });
        var rollback = new Command("rollback", "Run the Down of every applied migration after the target, newest first, each in its own transaction.")
        {
            NotEmpty(new Option<string>("--to") { Description = "Roll back to this migration (name, EF id or version; 0 = everything)", HelpName = "migration|0", Required = true }),
        };
        AddChangeOptions(rollback);
        root.Subcommands.Add(rollback);
        // Actions only mark the commands as runnable; Program reads the parse and runs the host.
        foreach (var runnable in root.Subcommands.Prepend(root))
            runnable.SetAction(_ => ExitCodes.Success);
        return root;
    }

    /// <summary>The command a successful parse asked for.</summary>
    public static MigrationCommand Read(ParseResult parsed)
    {
        var verb = parsed.CommandResult.Command is RootCommand ? "migrate" : parsed.CommandResult.Command.Name;
        T? Value<T>(string name) => parsed.CommandResult.Command.Options.Any(o => o.Name == name) ? parsed.GetValue<T>(name) : default;
        return new MigrationCommand(verb)
        {
            From = Value<string>("--from"),
            To = Value<string>("--to"),
            Idempotent = Value<bool>("--idempotent"),
            Force = Value<bool>("--force"),
            BackupFile = Value<string>("--backup"),
            OverwriteBackup = Value<bool>("--overwrite-backup"),
            Environment = parsed.GetValue<string>("--environment"),
            ContentRoot = parsed.GetValue<string>("--contentRoot"),
            ApplicationName = parsed.GetValue<string>("--applicationName"),
        };
    }

    /// <summary>The first parse error as one line naming the problem and where help is.</summary>
    public static string Describe(ParseResult parsed)
    {
        var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
        var verb = parsed.CommandResult.Command is RootCommand ? Name : $"{Name} {parsed.CommandResult.Command.Name}";
        return $"error: {error.Message.TrimEnd('.')}. Fix: see `{verb} --help`.";
    }

    private static void AddChangeOptions(Command command)
    {
        command.Options.Add(NotEmpty(new Option<string>("--backup") { Description = "pg_dump the database to this file first (custom format)", HelpName = "file" }));
        command.Options.Add(new Option<bool>("--overwrite-backup") { Description = "Replace the --backup file if it exists (otherwise that is refused)" });
        command.Options.Add(new Option<bool>("--force")
        {
            Description = command.Name == "rollback" ? "Drop tables that hold rows" : "Migrate a database that has tables but no Clearway migration history",
        });
    }

    private static Option<string> HostOption(string name, string description) =>
        NotEmpty(new Option<string>(name) { Description = description, HelpName = "value", Recursive = true });

    /// <summary>Empty is an error, not a default.</summary>
    private static Option<string> NotEmpty(Option<string> option)
    {
        option.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
                result.AddError($"{option.Name} is empty; give a {option.HelpName ?? "value"}");
        });
        return option;
    }
}
