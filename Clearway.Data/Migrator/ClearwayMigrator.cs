using System.Diagnostics;
using Clearway.Data.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>
/// Clearway's policies on top of EF Core's migrator: waits for the server and creates the database, takes the run lock
/// on the connection that does the work, refuses what would hurt (not our database, unknown migrations, dropping rows,
/// no confirmation outside Development, a backup file in the way), backs up with pg_dump, applies or reverts one
/// migration at a time through <see cref="IMigrator"/> (a span, log lines and metrics each), verifies the result.
/// Every stop is a <see cref="MigratorException"/> with a one-line message and an exit code.
/// </summary>
public sealed class ClearwayMigrator
{
    /// <summary>Used to build EF Core services when generating SQL; never opened.</summary>
    private const string OfflineConnectionString = "Host=localhost;Database=clearway";

    private readonly MigrationRun _run;
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource? _dataSource;
    private readonly string _target;

    /// <summary>Validates <paramref name="options"/> (throws <see cref="MigratorException"/> with exit code 2 when invalid).</summary>
    /// <param name="dataSource">
    /// The host's data source for the target database (e.g. the Aspire client integration's), built on
    /// <see cref="PrepareConnectionString"/>; null opens connections from <see cref="MigrationRun.ConnectionString"/>.
    /// </param>
    public ClearwayMigrator(MigrationRun options, ILogger<ClearwayMigrator>? logger = null, NpgsqlDataSource? dataSource = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _run = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _dataSource = dataSource;
        var target = MigrationRun.ParseConnectionString(options.ConnectionString);
        _target = $"{target.Host}:{target.Port}, database \"{target.Database}\"";
    }

    /// <summary>Every migration this build carries, oldest first.</summary>
    public static IReadOnlyList<MigrationInfo> Migrations => MigrationList.All;

    /// <summary>
    /// The migrations of this build the database has not applied, oldest first, read from the history table (EF Core is
    /// not started: a caller that only asks, like the seeder, stays fast).
    /// </summary>
    public static async Task<IReadOnlyList<MigrationInfo>> PendingAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        return (await MigrationPlan.ReadAsync(connection, cancellationToken)).Pending;
    }

    /// <summary>
    /// The migration a command-line value names (name, EF id or version; "0" = none, returned as null). Throws a
    /// <see cref="MigratorException"/> (exit 2) naming <paramref name="option"/> when it is empty or unknown.
    /// </summary>
    public static MigrationInfo? FindMigration(string? nameIdOrVersion, string option) => MigrationList.Resolve(nameIdOrVersion, option);

    /// <summary>
    /// The connection string a host's data source for the migrator must use: unpooled (the run lock is a session lock),
    /// with error details and the application name <c>clearway-migrator</c>. Throws (exit 2) when it is unusable.
    /// </summary>
    public static string PrepareConnectionString(string? connectionString) => ServerConnector.PrepareConnectionString(connectionString);

    /// <summary>
    /// Waits for the server of <paramref name="connectionString"/> as the migrator does (backoff, the whole wait bounded by
    /// <paramref name="limit"/>) and checks that the database exists. Fails (exit 1) naming host:port and database with a
    /// hint, or refuses (exit 2) a database that does not exist.
    /// </summary>
    public static async Task WaitForDatabaseAsync(string connectionString, TimeSpan limit, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var run = new MigrationRun { ConnectionString = connectionString, EnvironmentName = MigrationRun.DevelopmentEnvironment, Options = new MigratorOptions { ServerWaitLimit = limit } };
        run.Validate();
        await using var connector = new ServerConnector(run, logger ?? NullLogger.Instance, dataSource: null);
        var opened = await connector.OpenAsync(createIfMissing: false, cancellationToken)
            ?? throw MigratorException.Refusal($"Database \"{connector.Database}\" does not exist on {connector.Host}:{connector.Port}.",
                "run the migrations first (the migration service, or `clearway migrate`)");
        await opened.Connection.DisposeAsync();
    }

    /// <summary>Applies every pending migration, then verifies the schema.</summary>
    public Task<MigrateResult> MigrateAsync(CancellationToken cancellationToken = default) => MigrateAsync(null, cancellationToken);

    /// <summary>Applies every pending migration, reporting each step to <paramref name="progress"/>, then verifies the schema.</summary>
    public async Task<MigrateResult> MigrateAsync(IProgress<MigrationProgress>? progress, CancellationToken cancellationToken = default)
    {
        using var activity = DataTelemetry.Source.StartActivity("migrate");
        var clock = Stopwatch.StartNew();
        await using var connector = Connector();
        if (!_run.IsDevelopment && !_run.Confirmed)
            await RefuseUnconfirmedAsync(connector, MigrationVerb.Migrate, null, cancellationToken);
        var backup = PrepareBackup();

        var (connection, createdDatabase) = (await connector.OpenAsync(createIfMissing: true, cancellationToken))!;
        await using var _ = connection;
        await using var runLock = await AcquireRunLockAsync(connection, cancellationToken);

        var plan = await MigrationPlan.ReadAsync(connection, cancellationToken);
        await RefuseForeignAsync(connector, connection, plan, cancellationToken);
        RefuseUnknown(plan, "migrate");

        var pending = plan.Pending;
        var steps = new List<MigrationStepResult>();
        if (pending.Count == 0)
        {
            _logger.UpToDate(connector.Database, plan.AppliedIds.Count);
        }
        else
        {
            _logger.Pending(pending.Count, connector.Database, string.Join(", ", pending));
            if (backup is not null)
                await backup.RunAsync(connector.ConnectionString, createdDatabase ? $"database \"{connector.Database}\" was created (empty); " : "", cancellationToken);
            await using var runner = new MigrationStepRunner(connection, _logger, progress);
            foreach (var migration in pending)
                steps.Add(await runner.ApplyAsync(migration, steps.Count + 1, pending.Count, cancellationToken));
        }

        var report = await VerifyOnAsync(connection, cancellationToken);
        if (!report.IsValid)
            throw MigratorException.Failure(
                $"Schema verification failed after migrating: {report.Errors.Count()} error(s): {Summarize(report)}",
                "run `verify` for the full report; the database differs from SchemaManifest");
        _logger.MigrateFinished(clock.ElapsedMilliseconds, steps.Count, plan.AppliedIds.Count);
        return new MigrateResult(steps, plan.AppliedIds.Count, clock.Elapsed, report);
    }

    /// <summary>Applied and pending migrations with versions and applied-at times, and drift. Changes nothing.</summary>
    public async Task<MigrationStatusReport> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connector = Connector();
        var opened = await connector.OpenAsync(createIfMissing: false, cancellationToken);
        if (opened is null)
            return new MigrationStatusReport(_target, false,
                Migrations.Select(m => new MigrationState(m, false, null)).ToList(), [], [], null);

        await using var connection = opened.Connection;
        var plan = await MigrationPlan.ReadAsync(connection, cancellationToken);
        var appliedAt = await MigrationJournal.AppliedAtAsync(connection, cancellationToken);
        var states = Migrations
            .Select(m => new MigrationState(m, plan.IsApplied(m), appliedAt.TryGetValue(m.Id, out var at) ? at : null))
            .ToList();
        var unknown = plan.Unknown;
        var tables = await MigrationJournal.OtherPublicTablesAsync(connection, cancellationToken);
        var verification = states.All(s => s.Applied) ? await VerifyOnAsync(connection, cancellationToken) : null;
        return new MigrationStatusReport(_target, true, states, unknown, tables, verification);
    }

    /// <summary>Checks the database against the schema manifest. Changes nothing.</summary>
    public async Task<SchemaReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var connector = Connector();
        var opened = await connector.OpenAsync(createIfMissing: false, cancellationToken)
            ?? throw MigratorException.Failure($"Database \"{connector.Database}\" does not exist on {connector.Host}:{connector.Port}.",
                "run the migrator without arguments to create and migrate it");
        await using var connection = opened.Connection;
        return await VerifyOnAsync(connection, cancellationToken);
    }

    /// <summary>
    /// Reverts applied migrations newer than <paramref name="target"/> (a migration name, id or version, or "0" for all),
    /// newest first, each Down in its own transaction. Refuses when a table a Down drops holds rows, unless Force.
    /// </summary>
    public Task<RollbackResult> RollbackAsync(string target, CancellationToken cancellationToken = default) =>
        RollbackAsync(target, null, cancellationToken);

    /// <inheritdoc cref="RollbackAsync(string, CancellationToken)"/>
    public async Task<RollbackResult> RollbackAsync(string target, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken = default)
    {
        using var activity = DataTelemetry.Source.StartActivity("rollback");
        var targetMigration = MigrationList.Resolve(target, "--to");
        await using var connector = Connector();
        if (!_run.IsDevelopment && !_run.Confirmed)
            await RefuseUnconfirmedAsync(connector, MigrationVerb.Rollback, targetMigration, cancellationToken);
        var backup = PrepareBackup();

        var opened = await connector.OpenAsync(createIfMissing: false, cancellationToken)
            ?? throw MigratorException.Refusal($"Database \"{connector.Database}\" does not exist on {connector.Host}:{connector.Port}; nothing to roll back.");
        await using var connection = opened.Connection;
        await using var runLock = await AcquireRunLockAsync(connection, cancellationToken);

        var plan = await MigrationPlan.ReadAsync(connection, cancellationToken);
        await RefuseForeignAsync(connector, connection, plan, cancellationToken);
        RefuseUnknown(plan, "roll back");
        var revert = plan.RevertTo(targetMigration);
        if (revert.Count == 0)
        {
            _logger.NothingToRollBack(connector.Database, targetMigration?.ToString() ?? "0");
            return new RollbackResult([], targetMigration);
        }

        await using var runner = new MigrationStepRunner(connection, _logger, progress);
        await RefuseDataLossAsync(connection, runner.Catalog, revert, cancellationToken);
        if (backup is not null)
            await backup.RunAsync(connector.ConnectionString, "", cancellationToken);
        var steps = new List<MigrationStepResult>();
        foreach (var migration in revert)
            steps.Add(await runner.RevertAsync(migration, steps.Count + 1, revert.Count, cancellationToken));
        return new RollbackResult(steps, targetMigration);
    }

    /// <summary>
    /// The SQL that migrating would run, from after <paramref name="from"/> up to and including <paramref name="to"/>
    /// (names, ids, versions or "0"; null = first/last). Generated offline: never touches a database.
    /// </summary>
    public static string Script(string? from = null, string? to = null, bool idempotent = false)
    {
        var fromId = from is null ? null : MigrationList.Resolve(from, "--from")?.Id ?? Migration.InitialDatabase;
        var toId = to is null ? null : MigrationList.Resolve(to, "--to")?.Id ?? Migration.InitialDatabase;
        using var context = new ClearwayDbContext(ClearwayNpgsql.Options(OfflineConnectionString));
        return context.GetService<IMigrator>().GenerateScript(fromId, toId,
            idempotent ? MigrationsSqlGenerationOptions.Idempotent : MigrationsSqlGenerationOptions.Default);
    }

    private ServerConnector Connector() => new(_run, _logger, _dataSource);

    private async Task<MigrationLock> AcquireRunLockAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        // The run lock lives as long as this session; an idle-session timeout must not end it while pg_dump runs.
        if (connection.PostgreSqlVersion.Major >= 14)
        {
            await using var command = new NpgsqlCommand("SET idle_session_timeout = 0", connection);
            await command.ExecuteNonQueryAsync(ct);
        }
        return await MigrationLock.AcquireAsync(connection, _run.Options.LockWaitLimit, _logger, ct);
    }

    /// <summary>Checks the backup can be made (pg_dump found, file not in the way) before anything happens.</summary>
    private DatabaseBackup? PrepareBackup() =>
        _run.BackupFile is { } file ? DatabaseBackup.Prepare(file, _run.OverwriteBackup, _run.Options.PgDumpPath, _logger) : null;

    private async Task RefuseDataLossAsync(NpgsqlConnection connection, MigrationCatalog catalog, IReadOnlyList<MigrationInfo> revert, CancellationToken ct)
    {
        var nonEmpty = new List<string>();
        foreach (var table in revert.SelectMany(catalog.TablesDroppedByDown).Distinct())
        {
            if (!await PostgresCatalog.RelationExistsAsync(connection, table, ct))
                continue;
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {PostgresIdentifier.Quote(table)}", connection);
            var rows = (long)(await command.ExecuteScalarAsync(ct))!;
            if (rows > 0)
                nonEmpty.Add($"\"{table}\" ({rows} rows)");
        }
        if (nonEmpty.Count == 0)
            return;
        if (!_run.Force)
            throw MigratorException.Refusal(
                $"Refusing to roll back: it would drop {nonEmpty.Count} table(s) holding data: {string.Join(", ", nonEmpty)}; nothing was changed.",
                "take a backup (--backup <file>) and re-run with --force to drop them");
        _logger.ForceDroppingTables(string.Join(", ", nonEmpty));
    }

    /// <summary>
    /// A database is ours when its history names at least one migration, or when it holds no table of its own. An
    /// empty history table proves nothing (another tool, or an earlier failed <c>--force</c>, may have made it).
    /// </summary>
    private async Task RefuseForeignAsync(ServerConnector connector, NpgsqlConnection connection, MigrationPlan plan, CancellationToken ct)
    {
        if (plan.AppliedIds.Count > 0)
            return;
        var tables = await MigrationJournal.OtherPublicTablesAsync(connection, ct);
        if (tables.Count == 0)
            return;
        if (!_run.Force)
            throw MigratorException.Refusal(
                $"Database \"{connector.Database}\" on {connector.Host}:{connector.Port} is not a Clearway database: it has {tables.Count} table(s) ({string.Join(", ", tables.Take(5))}{(tables.Count > 5 ? ", …" : "")}) and no migration history; nothing was changed.",
                "check the Database in the connection string; use --force only if this really is the database to migrate");
        _logger.ForceForeignDatabase(connector.Database, tables.Count);
    }

    private void RefuseUnknown(MigrationPlan plan, string verb)
    {
        if (plan.Unknown.Count > 0 && !_run.Force)
            throw MigratorException.Refusal(
                $"Refusing to {verb}: the database has migration(s) this build does not know: {string.Join(", ", plan.Unknown)}; nothing was changed.",
                "deploy the build that contains them (the database is newer than this build)");
    }

    private async Task RefuseUnconfirmedAsync(ServerConnector connector, MigrationVerb verb, MigrationInfo? rollbackTarget, CancellationToken ct)
    {
        // Read-only look at the database (never created here) so the operator sees what would happen.
        var opened = await connector.OpenAsync(createIfMissing: false, ct);
        await using var connection = opened?.Connection;
        var plan = connection is null ? MigrationPlan.None : await MigrationPlan.ReadAsync(connection, ct);
        var (action, steps) = verb == MigrationVerb.Migrate ? ("apply", plan.Pending) : ("revert", plan.RevertTo(rollbackTarget));
        if (verb == MigrationVerb.Migrate && steps.Count == 0)
            return; // Nothing would change: migrate then only verifies, which is read-only.
        foreach (var m in steps)
            _logger.WouldRun(action, m.Name, m.Version);
        var given = _run.Confirmation is null ? "" : $" (it is '{_run.Confirmation}')";
        var created = connection is null ? " and create the database" : "";
        var listed = steps.Count == 0 ? "" : $": {string.Join(", ", steps.Select(m => m.Name))}";
        throw MigratorException.Refusal(
            $"Refusing to {verb.CommandName()} in environment '{_run.EnvironmentName}' without CONFIRM_MIGRATION={MigrationRun.ConfirmationValue}{given}; " +
            $"it would {action} {steps.Count} migration(s){created}{listed}. Nothing was changed.",
            $"take a backup (--backup <file>), then re-run with CONFIRM_MIGRATION={MigrationRun.ConfirmationValue}");
    }

    private async Task<SchemaReport> VerifyOnAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var report = await SchemaVerifier.VerifyAsync(connection, ct);
        if (report.IsValid)
            _logger.SchemaVerified(clock.ElapsedMilliseconds);
        else
            _logger.VerificationFailed(report.Errors.Count(), Summarize(report));
        return report;
    }

    private static string Summarize(SchemaReport report) =>
        string.Join("; ", report.Errors.Take(5).Select(f => $"{f.Kind} {f.Subject}: {f.Detail}")) + (report.Errors.Count() > 5 ? "; …" : "");
}
