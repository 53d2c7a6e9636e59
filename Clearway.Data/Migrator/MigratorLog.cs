using Microsoft.Extensions.Logging;

namespace Clearway.Data.Migrator;

/// <summary>Every log line of the migrator, structured (source-generated, no work when the level is off).</summary>
internal static partial class MigratorLog
{
    [LoggerMessage(1, LogLevel.Warning, "Attempt {Attempt} to reach {Host}:{Port} (database {Database}) failed: {Reason}; retrying in {DelayMs} ms")]
    public static partial void ConnectAttemptFailed(this ILogger logger, int attempt, string host, int port, string database, string reason, int delayMs);

    [LoggerMessage(2, LogLevel.Information, "Connected to {Host}:{Port} after {Attempts} attempts ({ElapsedMs} ms)")]
    public static partial void ConnectedAfter(this ILogger logger, string host, int port, int attempts, long elapsedMs);

    [LoggerMessage(3, LogLevel.Information, "Created database {Database} on {Host}:{Port}")]
    public static partial void DatabaseCreated(this ILogger logger, string database, string host, int port);

    [LoggerMessage(4, LogLevel.Information, "Database {Database} was created concurrently by another session")]
    public static partial void DatabaseCreatedConcurrently(this ILogger logger, string database);

    [LoggerMessage(5, LogLevel.Information, "Acquired the migration lock after waiting {WaitMs} ms")]
    public static partial void LockAcquired(this ILogger logger, long waitMs);

    [LoggerMessage(6, LogLevel.Information,
        "Waiting for the migration lock held by pid {HolderPid} ({HolderApplication}, {HolderAddress}, since {HolderSince}); waited {WaitMs} ms of {LimitMs}")]
    public static partial void WaitingForLock(this ILogger logger, int? holderPid, string? holderApplication, string? holderAddress,
        DateTime? holderSince, long waitMs, long limitMs);

    [LoggerMessage(7, LogLevel.Information, "Database {Database} is up to date: {AppliedCount} migrations applied")]
    public static partial void UpToDate(this ILogger logger, string database, int appliedCount);

    [LoggerMessage(8, LogLevel.Information, "{PendingCount} pending migration(s) on {Database}: {Pending}")]
    public static partial void Pending(this ILogger logger, int pendingCount, string database, string pending);

    [LoggerMessage(9, LogLevel.Information, "Migrate finished in {ElapsedMs} ms: {Applied} applied, {AlreadyApplied} already applied, schema verified")]
    public static partial void MigrateFinished(this ILogger logger, long elapsedMs, int applied, int alreadyApplied);

    [LoggerMessage(10, LogLevel.Information, "Nothing to roll back: {Database} is at {Target}")]
    public static partial void NothingToRollBack(this ILogger logger, string database, string target);

    [LoggerMessage(11, LogLevel.Warning, "--force: dropping tables that hold data: {Tables}")]
    public static partial void ForceDroppingTables(this ILogger logger, string tables);

    [LoggerMessage(12, LogLevel.Warning, "--force: migrating database {Database} that has {TableCount} tables and no migration history")]
    public static partial void ForceForeignDatabase(this ILogger logger, string database, int tableCount);

    [LoggerMessage(13, LogLevel.Information, "Would {Action} {Migration} ({Version})")]
    public static partial void WouldRun(this ILogger logger, string action, string migration, string version);

    [LoggerMessage(14, LogLevel.Information, "Schema verified in {ElapsedMs} ms")]
    public static partial void SchemaVerified(this ILogger logger, long elapsedMs);

    [LoggerMessage(15, LogLevel.Error, "Schema verification found {FindingCount} problem(s): {Report}")]
    public static partial void VerificationFailed(this ILogger logger, int findingCount, string report);

    [LoggerMessage(16, LogLevel.Information, "Backing up database {Database} to {BackupFile} with {PgDump}")]
    public static partial void BackingUp(this ILogger logger, string database, string backupFile, string pgDump);

    [LoggerMessage(17, LogLevel.Information, "Backup written: {BackupFile}, {Bytes} bytes in {ElapsedMs} ms")]
    public static partial void BackupWritten(this ILogger logger, string backupFile, long bytes, long elapsedMs);

    [LoggerMessage(18, LogLevel.Information, "Running {Direction} {Migration} ({Version}): {StatementCount} statements")]
    public static partial void RunningStep(this ILogger logger, string direction, string migration, string version, int statementCount);

    [LoggerMessage(19, LogLevel.Debug, "Failing statement of {Migration}: {Statement}")]
    public static partial void FailingStatement(this ILogger logger, string migration, string statement);

    [LoggerMessage(20, LogLevel.Information, "{Verb} {Migration} ({Version}) committed in {ElapsedMs} ms ({StatementCount} statements)")]
    public static partial void StepCommitted(this ILogger logger, string verb, string migration, string version, long elapsedMs, int statementCount);
}
