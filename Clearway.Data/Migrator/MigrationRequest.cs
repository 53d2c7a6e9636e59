namespace Clearway.Data.Migrator;

/// <summary>The migration verbs every host offers.</summary>
public enum MigrationVerb
{
    /// <summary>Apply every pending migration, then verify (the worker's default).</summary>
    Migrate,

    /// <summary>Applied and pending migrations, drift. Read only.</summary>
    Status,

    /// <summary>Compare the database with the schema manifest. Read only.</summary>
    Verify,

    /// <summary>The SQL migrating would run. Never connects.</summary>
    Script,

    /// <summary>Revert applied migrations down to a target.</summary>
    Rollback,
}

/// <summary>One verb with the options given for it (from the command line of the worker or of <c>clearway</c>).</summary>
public sealed record MigrationRequest(MigrationVerb Verb)
{
    /// <summary><c>script --from</c>: the last migration already applied (0 = empty database).</summary>
    public string? From { get; init; }

    /// <summary><c>script --to</c> / <c>rollback --to</c>: the last migration to include, or the one to roll back to.</summary>
    public string? To { get; init; }

    /// <summary><c>script --idempotent</c>.</summary>
    public bool Idempotent { get; init; }

    /// <summary><c>--force</c>: migrate a database with foreign tables, or drop tables holding rows on rollback.</summary>
    public bool Force { get; init; }

    /// <summary><c>--backup</c>: pg_dump the database to this file first.</summary>
    public string? BackupFile { get; init; }

    /// <summary><c>--overwrite-backup</c>.</summary>
    public bool OverwriteBackup { get; init; }

    /// <summary>True for the verb that never connects (no connection string needed).</summary>
    public bool IsOffline => Verb == MigrationVerb.Script;
}

/// <summary>How the verbs are typed.</summary>
public static class MigrationVerbNames
{
    /// <summary>The verb as it is typed on a command line (<c>migrate</c>, <c>rollback</c>, ...).</summary>
    public static string CommandName(this MigrationVerb verb) => verb.ToString().ToLowerInvariant();
}
