using System.CommandLine;
using Clearway.Data.Migrator;

namespace Clearway.CommandLine;

/// <summary>
/// The five migration verbs (<c>migrate status verify script rollback</c>) and their options, for the migration worker and
/// <c>clearway</c> alike: a host says how to run a <see cref="MigrationRequest"/>, and may add options of its own to each verb.
/// </summary>
public static class MigrationVerbs
{
    /// <summary>Runs one request; returns the exit code.</summary>
    public delegate Task<int> Runner(MigrationRequest request, ParseResult result, CancellationToken cancellationToken);

    public static readonly IReadOnlyDictionary<MigrationVerb, string[]> Examples = new Dictionary<MigrationVerb, string[]>
    {
        [MigrationVerb.Migrate] = ["migrate", "migrate --backup /tmp/clearway-before.dump"],
        [MigrationVerb.Status] = ["status"],
        [MigrationVerb.Verify] = ["verify"],
        [MigrationVerb.Script] = ["script --idempotent > clearway.sql", "script --from Phase2CompleteSchema --to AddMaterializedViews"],
        [MigrationVerb.Rollback] = ["rollback --to AddMaterializedViews", "rollback --to 0 --force"],
    };

    /// <summary>
    /// Adds the five verbs to <paramref name="parent"/>, each running through <paramref name="run"/>. With
    /// <paramref name="parentMigrates"/> the parent itself is <c>migrate</c> (the worker: no verb means migrate).
    /// <paramref name="connected"/> makes the options a host adds to every verb that connects (the CLI's <c>--connection</c>).
    /// </summary>
    public static void AddTo(Command parent, Runner run, bool parentMigrates = false, Func<IEnumerable<Option>>? connected = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(run);
        var examplePrefix = parent.Name + " ";

        if (parentMigrates)
            Define(parent, MigrationVerb.Migrate, run, withConnected: false);
        foreach (var verb in Enum.GetValues<MigrationVerb>())
        {
            var command = new Command(verb.CommandName(), Description(verb)).WithExamples([.. Examples[verb].Select(e => examplePrefix + e)]);
            Define(command, verb, run, withConnected: verb != MigrationVerb.Script);
            parent.Subcommands.Add(command);
        }

        void Define(Command command, MigrationVerb verb, Runner runner, bool withConnected)
        {
            var options = new VerbOptions(verb);
            foreach (var option in options.All)
                command.Options.Add(option);
            if (withConnected && connected is not null)
                foreach (var option in connected())
                    command.Options.Add(option);
            command.SetAction((result, ct) => runner(options.Read(result), result, ct));
        }
    }

    private static string Description(MigrationVerb verb) => verb switch
    {
        MigrationVerb.Migrate => "Apply every pending migration (one transaction each, under the migration lock), then verify the schema.",
        MigrationVerb.Status => "Every migration with version, applied/pending and applied-at; drift. Read only.",
        MigrationVerb.Verify => "Compare the database with the schema manifest; exit 1 when it differs. Read only.",
        MigrationVerb.Script => "Print the SQL that migrating would run (stdout; logs on stderr). Never connects.",
        MigrationVerb.Rollback => "Run the Down of every applied migration after the target, newest first, each in its own transaction.",
        _ => throw new ArgumentOutOfRangeException(nameof(verb)),
    };

    /// <summary>The options of one verb, made fresh for each command they are added to.</summary>
    private sealed class VerbOptions
    {
        private readonly MigrationVerb _verb;
        private readonly Option<string>? _from;
        private readonly Option<string>? _to;
        private readonly Option<bool>? _idempotent;
        private readonly Option<string>? _backup;
        private readonly Option<bool>? _overwriteBackup;
        private readonly Option<bool>? _force;

        public VerbOptions(MigrationVerb verb)
        {
            _verb = verb;
            if (verb == MigrationVerb.Script)
            {
                _from = Migration("--from", "Last migration already applied (exclusive; 0 = empty database)", "migration|0");
                _to = Migration("--to", "Last migration to include [default: the newest]", "migration");
                _idempotent = ClearwayOption.Flag("--idempotent", "Guard each migration with a check of the history table");
            }
            if (verb == MigrationVerb.Rollback)
            {
                _to = Migration("--to", "Roll back to this migration (name, EF id or version; 0 = everything)", "migration|0");
                _to.Required = true;
            }
            if (verb is MigrationVerb.Migrate or MigrationVerb.Rollback)
            {
                _backup = ClearwayOption.Text("--backup", "pg_dump the database to this file first (custom format, owner-only)", "file");
                _overwriteBackup = ClearwayOption.Flag("--overwrite-backup", "Replace the --backup file if it exists (otherwise that is refused)");
                _force = ClearwayOption.Flag("--force", verb == MigrationVerb.Rollback
                    ? "Drop tables that hold rows"
                    : "Migrate a database that has tables but no Clearway migration history");
            }
        }

        /// <summary>A migration named on the command line, checked against this build's migrations before anything connects.</summary>
        private static Option<string> Migration(string name, string description, string helpName) =>
            ClearwayOption.Typed(name, description, helpName, text =>
            {
                _ = ClearwayMigrator.FindMigration(text, name);
                return text;
            });

        public IEnumerable<Option> All => new Option?[] { _from, _to, _idempotent, _backup, _overwriteBackup, _force }.OfType<Option>();

        public MigrationRequest Read(ParseResult result) => new(_verb)
        {
            From = _from is null ? null : result.GetValue(_from),
            To = _to is null ? null : result.GetValue(_to),
            Idempotent = _idempotent is not null && result.GetValue(_idempotent),
            BackupFile = _backup is null ? null : result.GetValue(_backup),
            OverwriteBackup = _overwriteBackup is not null && result.GetValue(_overwriteBackup),
            Force = _force is not null && result.GetValue(_force),
        };
    }
}
