using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>How a <see cref="ClearwayMigrator"/> run behaves. Call <see cref="Validate"/> before using it.</summary>
public sealed record MigratorOptions
{
    /// <summary>The environment name in which migrations run without confirmation.</summary>
    public const string DevelopmentEnvironment = "Development";

    /// <summary>Npgsql connection string of the target database (created if missing).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>How long to keep retrying while the server cannot be reached. Default 60 s.</summary>
    public TimeSpan ServerWaitLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for another migrator's advisory lock. Default 5 minutes.</summary>
    public TimeSpan LockWaitLimit { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Host environment name; anything but <c>Development</c> needs <see cref="Confirmed"/> to change the database.</summary>
    public string EnvironmentName { get; init; } = "Production";

    /// <summary>The operator confirmed a change outside Development (<c>CONFIRM_MIGRATION=yes</c>).</summary>
    public bool Confirmed { get; init; }

    /// <summary>When set, <c>pg_dump</c> writes this file (custom format) before anything is changed.</summary>
    public string? BackupFile { get; init; }

    /// <summary>The <c>pg_dump</c> executable; null searches <c>PATH</c>.</summary>
    public string? PgDumpPath { get; init; }

    /// <summary>Overrides the refusals that protect data: a database that is not ours, a rollback dropping non-empty tables.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// Called inside each migration's transaction after its statements ran and before it commits.
    /// A seam for fault-injection tests (kill the process mid-migration); leave null in production.
    /// </summary>
    public Func<MigrationInfo, CancellationToken, Task>? BeforeCommit { get; init; }

    /// <summary>True when changes may be made without confirmation.</summary>
    public bool IsDevelopment => string.Equals(EnvironmentName, DevelopmentEnvironment, StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks every setting; throws a <see cref="MigratorException"/> (exit code 2) naming the first bad one.</summary>
    public void Validate()
    {
        _ = ParseConnectionString(ConnectionString);
        if (ServerWaitLimit < TimeSpan.Zero)
            throw MigratorException.Configuration($"The server wait limit must not be negative (got {ServerWaitLimit}).");
        if (LockWaitLimit < TimeSpan.Zero)
            throw MigratorException.Configuration($"The lock wait limit must not be negative (got {LockWaitLimit}).");
        if (string.IsNullOrWhiteSpace(EnvironmentName))
            throw MigratorException.Configuration("The environment name is empty.");
        if (BackupFile is not null)
        {
            if (string.IsNullOrWhiteSpace(BackupFile))
                throw MigratorException.Configuration("--backup needs a file name.");
            var directory = Path.GetDirectoryName(Path.GetFullPath(BackupFile));
            if (directory is not null && !Directory.Exists(directory))
                throw MigratorException.Configuration($"The backup file's directory '{directory}' does not exist.");
        }
    }

    /// <summary>Parses and checks a connection string (<see cref="ClearwayConnectionString.Parse"/>) as a migrator refusal.</summary>
    public static NpgsqlConnectionStringBuilder ParseConnectionString(string? connectionString)
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
