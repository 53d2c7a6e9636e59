namespace Clearway.Data.Migrator;

/// <summary>One run of a <see cref="ClearwayMigrator"/>: the database, the environment and the operator's choices.</summary>
public sealed record MigrationRun
{
    /// <summary>The environment name in which migrations run without confirmation.</summary>
    public const string DevelopmentEnvironment = "Development";

    /// <summary>The value of <c>CONFIRM_MIGRATION</c> that confirms a change outside Development.</summary>
    public const string ConfirmationValue = "yes";

    /// <summary>Npgsql connection string of the target database (created if missing).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The <c>Migrator:*</c> settings (wait limits, pg_dump).</summary>
    public MigratorOptions Options { get; init; } = new();

    /// <summary>Host environment name; anything but <c>Development</c> needs <see cref="Confirmation"/> to change the database.</summary>
    public string EnvironmentName { get; init; } = "Production";

    /// <summary>What the operator gave as <c>CONFIRM_MIGRATION</c> (null: not set); only exactly <c>yes</c> confirms.</summary>
    public string? Confirmation { get; init; }

    /// <summary>When set, <c>pg_dump</c> writes this file (custom format) before anything is changed.</summary>
    public string? BackupFile { get; init; }

    /// <summary>Replace <see cref="BackupFile"/> when it already exists (otherwise that is refused).</summary>
    public bool OverwriteBackup { get; init; }

    /// <summary>Overrides the refusals that protect data: a database that is not ours, a rollback dropping non-empty tables.</summary>
    public bool Force { get; init; }

    /// <summary>True when <see cref="Confirmation"/> confirms.</summary>
    public bool Confirmed => string.Equals(Confirmation, ConfirmationValue, StringComparison.Ordinal);

    /// <summary>True when changes may be made without confirmation.</summary>
    public bool IsDevelopment => string.Equals(EnvironmentName, DevelopmentEnvironment, StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks every setting; throws a <see cref="MigratorException"/> (exit code 2) naming the first bad one.</summary>
    public void Validate()
    {
        _ = ParseConnectionString(ConnectionString);
        if (Options.Problems().FirstOrDefault() is { } problem)
            throw MigratorException.Configuration(char.ToUpperInvariant(problem[0]) + problem[1..] + ".");
        if (string.IsNullOrWhiteSpace(EnvironmentName))
            throw MigratorException.Configuration("The environment name is empty.");
        if (BackupFile is not null)
        {
            if (string.IsNullOrWhiteSpace(BackupFile))
                throw MigratorException.Configuration("--backup needs a file name.");
            var full = Path.GetFullPath(BackupFile);
            var directory = Path.GetDirectoryName(full);
            if (directory is not null && !Directory.Exists(directory))
                throw MigratorException.Configuration($"The backup file's directory '{directory}' does not exist.");
            if (Directory.Exists(full))
                throw MigratorException.Configuration($"--backup names a directory ('{full}'); give a file name.");
        }
    }

    /// <summary>Parses and checks a connection string (<see cref="ClearwayConnectionString.Parse"/>) as a migrator refusal.</summary>
    public static Npgsql.NpgsqlConnectionStringBuilder ParseConnectionString(string? connectionString)
    {
        try
        {
            return ClearwayConnectionString.Parse(connectionString);
        }
        catch (InvalidConnectionStringException e)
        {
            throw MigratorException.Configuration(char.ToUpperInvariant(e.Message[0]) + e.Message[1..] + ".");
        }
    }
}
