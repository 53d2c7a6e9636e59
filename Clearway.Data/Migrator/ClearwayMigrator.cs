using System.Diagnostics;
using Clearway.Data.Schema;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>
/// Applies, inspects, scripts and reverts the Clearway migrations safely: waits for the server, creates the database,
/// serializes migrators with an advisory lock, runs each migration in its own transaction and trace span, verifies
/// the result. Every stop is a <see cref="MigratorException"/> with a one-line message and an exit code.
/// </summary>
public sealed class ClearwayMigrator
{
    /// <summary>Used to build EF Core services when generating SQL; never opened.</summary>
    private const string OfflineConnectionString = "Host=localhost;Database=clearway";

    private readonly MigratorOptions _options;
    private readonly ILogger _logger;
    private readonly ServerConnector _connector;

    /// <summary>Validates <paramref name="options"/> (throws <see cref="MigratorException"/> with exit code 2 when invalid).</summary>
    public ClearwayMigrator(MigratorOptions options, ILogger<ClearwayMigrator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _connector = new ServerConnector(options, _logger);
    }

    /// <summary>Every migration this build carries, oldest first.</summary>
    public static IReadOnlyList<MigrationInfo> Migrations { get; } = LoadMigrations();

    /// <summary>Applies every pending migration, then verifies the schema.</summary>
    public async Task<MigrateResult> MigrateAsync(CancellationToken cancellationToken = default)
    {
        using var activity = MigrationTelemetry.Source.StartActivity("migrate");
        var clock = Stopwatch.StartNew();
        if (!_options.IsDevelopment && !_options.Confirmed)
            await RefuseUnconfirmedAsync("migrate", cancellationToken);
        var pgDump = _options.BackupFile is null ? null : DatabaseBackup.ResolvePgDump(_options.PgDumpPath);

        using var catalog = new MigrationCatalog(_connector.ConnectionString);
        var lockConnection = (await _connector.OpenAsync(createIfMissing: true, cancellationToken))!;
        await using var runLock = await MigrationLock.AcquireAsync(lockConnection, _options.LockWaitLimit, _logger, cancellationToken);
        await using var connection = (await _connector.OpenAsync(createIfMissing: false, cancellationToken))!;

        var applied = await MigrationJournal.AppliedAsync(connection, cancellationToken);
        await RefuseForeignAsync(connection, applied, cancellationToken);
        RefuseUnknown(applied, "migrate");

        var pending = catalog.All.Where(m => !applied.Contains(m.Id)).ToList();
        var steps = new List<MigrationStepResult>();
        if (pending.Count == 0)
        {
            _logger.UpToDate(_connector.Database, applied.Count);
        }
        else
        {
            _logger.Pending(pending.Count, _connector.Database, string.Join(", ", pending));
            if (_options.BackupFile is { } backup)
                await DatabaseBackup.RunAsync(_connector.ConnectionString, backup, pgDump!, _logger, cancellationToken);
            await EnsureBookkeepingAsync(connection, catalog, cancellationToken);
            var runner = new MigrationStepRunner(_options, _logger);
            foreach (var migration in pending)
                steps.Add(await runner.RunAsync(connection, migration, MigrationStepRunner.Up, catalog.UpSql(migration), cancellationToken));
        }

        var report = await VerifyOnAsync(connection, cancellationToken);
        if (!report.IsValid)
            throw MigratorException.Failure(
                $"Schema verification failed after migrating: {report.Errors.Count()} error(s): {Summarize(report)}",
                "run `verify` for the full report; the database differs from SchemaManifest");
        var result = new MigrateResult(steps, applied.Count, clock.Elapsed, report);
        _logger.MigrateFinished(clock.ElapsedMilliseconds, steps.Count, applied.Count);
        return result;
    }

    /// <summary>Applied and pending migrations with versions and applied-at times, and drift. Changes nothing.</summary>
    public async Task<MigrationStatusReport> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _connector.OpenAsync(createIfMissing: false, cancellationToken);
        if (connection is null)
            return new MigrationStatusReport(_connector.Describe, false,
                Migrations.Select(m => new MigrationState(m, false, null)).ToList(), [], [], null);

        var applied = await MigrationJournal.AppliedAsync(connection, cancellationToken);
        var appliedAt = await MigrationJournal.AppliedAtAsync(connection, cancellationToken);
        var states = Migrations
            .Select(m => new MigrationState(m, applied.Contains(m.Id), appliedAt.TryGetValue(m.Id, out var at) ? at : null))
            .ToList();
        var unknown = applied.Where(id => Migrations.All(m => m.Id != id)).ToList();
        var tables = await MigrationJournal.OtherPublicTablesAsync(connection, cancellationToken);
        var verification = states.All(s => s.Applied) ? await VerifyOnAsync(connection, cancellationToken) : null;
        return new MigrationStatusReport(_connector.Describe, true, states, unknown, tables, verification);
    }

    /// <summary>Checks the database against the schema manifest. Changes nothing.</summary>
    public async Task<SchemaReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _connector.OpenAsync(createIfMissing: false, cancellationToken)
            ?? throw MigratorException.Failure($"Database \"{_connector.Database}\" does not exist on {_connector.Host}:{_connector.Port}.",
                "run the migrator without arguments to create and migrate it");
        return await VerifyOnAsync(connection, cancellationToken);
    }

    /// <summary>
    /// Reverts applied migrations newer than <paramref name="target"/> (a migration name, id or version, or "0" for all),
    /// newest first, each Down in its own transaction. Refuses when a table a Down drops holds rows, unless Force.
    /// </summary>
    public async Task<RollbackResult> RollbackAsync(string target, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        using var activity = MigrationTelemetry.Source.StartActivity("rollback");
        using var catalog = new MigrationCatalog(_connector.ConnectionString);
        var targetMigration = catalog.Resolve(target, "--to");
        if (!_options.IsDevelopment && !_options.Confirmed)
            await RefuseUnconfirmedAsync("rollback", cancellationToken, targetMigration);
        var pgDump = _options.BackupFile is null ? null : DatabaseBackup.ResolvePgDump(_options.PgDumpPath);

        var lockConnection = await _connector.OpenAsync(createIfMissing: false, cancellationToken)
            ?? throw MigratorException.Refusal($"Database \"{_connector.Database}\" does not exist on {_connector.Host}:{_connector.Port}; nothing to roll back.");
        await using var runLock = await MigrationLock.AcquireAsync(lockConnection, _options.LockWaitLimit, _logger, cancellationToken);
        await using var connection = (await _connector.OpenAsync(createIfMissing: false, cancellationToken))!;

        var applied = await MigrationJournal.AppliedAsync(connection, cancellationToken);
        await RefuseForeignAsync(connection, applied, cancellationToken);
        RefuseUnknown(applied, "roll back");
        var revert = Revertible(catalog.All, applied, targetMigration);
        if (revert.Count == 0)
        {
            _logger.NothingToRollBack(_connector.Database, targetMigration?.ToString() ?? "0");
            return new RollbackResult([], targetMigration);
        }

        await RefuseDataLossAsync(connection, catalog, revert, cancellationToken);
        if (_options.BackupFile is { } backup)
            await DatabaseBackup.RunAsync(_connector.ConnectionString, backup, pgDump!, _logger, cancellationToken);
        await EnsureBookkeepingAsync(connection, catalog, cancellationToken);
        var runner = new MigrationStepRunner(_options, _logger);
        var steps = new List<MigrationStepResult>();
        foreach (var migration in revert)
        {
            var index = IndexOf(catalog.All, migration);
            var previous = index > 0 ? catalog.All[index - 1] : null;
            steps.Add(await runner.RunAsync(connection, migration, MigrationStepRunner.Down, catalog.DownSql(migration, previous), cancellationToken));
        }
        return new RollbackResult(steps, targetMigration);
    }

    /// <summary>
    /// The SQL that migrating would run, from after <paramref name="from"/> up to and including <paramref name="to"/>
    /// (names, ids, versions or "0"; null = first/last). Generated offline: never touches a database.
    /// </summary>
    public static string Script(string? from = null, string? to = null, bool idempotent = false)
    {
        using var catalog = new MigrationCatalog(OfflineConnectionString);
        var fromId = from is null ? null : catalog.Resolve(from, "--from")?.Id ?? Migration.InitialDatabase;
        var toId = to is null ? null : catalog.Resolve(to, "--to")?.Id ?? Migration.InitialDatabase;
        return catalog.Migrator.GenerateScript(fromId, toId,
            idempotent ? MigrationsSqlGenerationOptions.Idempotent : MigrationsSqlGenerationOptions.Default);
    }

    private static IReadOnlyList<MigrationInfo> LoadMigrations()
    {
        using var catalog = new MigrationCatalog(OfflineConnectionString);
        return catalog.All;
    }

    private static int IndexOf(IReadOnlyList<MigrationInfo> all, MigrationInfo migration)
    {
        for (var i = 0; i < all.Count; i++)
            if (all[i].Id == migration.Id)
                return i;
        return -1;
    }

    /// <summary>Applied migrations after the target, newest first; refuses a target that is not applied.</summary>
    private List<MigrationInfo> Revertible(IReadOnlyList<MigrationInfo> all, IReadOnlyList<string> applied, MigrationInfo? target)
    {
        if (target is not null && !applied.Contains(target.Id))
            throw MigratorException.Refusal(
                $"Cannot roll back to {target}: it is not applied (applied: {(applied.Count == 0 ? "none" : string.Join(", ", all.Where(m => applied.Contains(m.Id)).Select(m => m.Name)))}); rollback only goes down.");
        var targetIndex = target is null ? -1 : IndexOf(all, target);
        return all.Where((m, i) => i > targetIndex && applied.Contains(m.Id)).Reverse().ToList();
    }

    private async Task RefuseDataLossAsync(NpgsqlConnection connection, MigrationCatalog catalog, List<MigrationInfo> revert, CancellationToken ct)
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
        if (!_options.Force)
            throw MigratorException.Refusal(
                $"Refusing to roll back: it would drop {nonEmpty.Count} table(s) holding data: {string.Join(", ", nonEmpty)}; nothing was changed.",
                "take a backup (--backup <file>) and re-run with --force to drop them");
        _logger.ForceDroppingTables(string.Join(", ", nonEmpty));
    }

    private async Task RefuseForeignAsync(NpgsqlConnection connection, IReadOnlyList<string> applied, CancellationToken ct)
    {
        if (applied.Count > 0 || await PostgresCatalog.RelationExistsAsync(connection, MigrationJournal.HistoryTable, ct))
            return;
        var tables = await MigrationJournal.OtherPublicTablesAsync(connection, ct);
        if (tables.Count == 0)
            return;
        if (!_options.Force)
            throw MigratorException.Refusal(
                $"Database \"{_connector.Database}\" on {_connector.Host}:{_connector.Port} is not a Clearway database: it has {tables.Count} table(s) ({string.Join(", ", tables.Take(5))}{(tables.Count > 5 ? ", …" : "")}) and no migration history; nothing was changed.",
                "check the Database in the connection string; use --force only if this really is the database to migrate");
        _logger.ForceForeignDatabase(_connector.Database, tables.Count);
    }

    private void RefuseUnknown(IReadOnlyList<string> applied, string verb)
    {
        var unknown = applied.Where(id => Migrations.All(m => m.Id != id)).ToList();
        if (unknown.Count > 0 && !_options.Force)
            throw MigratorException.Refusal(
                $"Refusing to {verb}: the database has migration(s) this build does not know: {string.Join(", ", unknown)}; nothing was changed.",
                "deploy the build that contains them (the database is newer than this build)");
    }

    private async Task RefuseUnconfirmedAsync(string verb, CancellationToken ct, MigrationInfo? rollbackTarget = null)
    {
        // Read-only look at the database (never created here) so the operator sees what would happen.
        await using var connection = await _connector.OpenAsync(createIfMissing: false, ct);
        var applied = connection is null ? [] : await MigrationJournal.AppliedAsync(connection, ct);
        List<MigrationInfo> plan;
        string action;
        if (verb == "migrate")
        {
            plan = Migrations.Where(m => !applied.Contains(m.Id)).ToList();
            action = "apply";
            if (plan.Count == 0)
                return; // Nothing would change: migrate then only verifies, which is read-only.
        }
        else
        {
            var targetIndex = rollbackTarget is null ? -1 : IndexOf(Migrations, rollbackTarget);
            plan = Migrations.Where((m, i) => i > targetIndex && applied.Contains(m.Id)).Reverse().ToList();
            action = "revert";
        }
        foreach (var m in plan)
            _logger.WouldRun(action, m.Name, m.Version);
        throw MigratorException.Refusal(
            $"Refusing to {verb} in environment '{_options.EnvironmentName}' without CONFIRM_MIGRATION=yes; would {action} {plan.Count} migration(s){(connection is null ? " (and create the database)" : "")}: {(plan.Count == 0 ? "none" : string.Join(", ", plan))}; nothing was changed.",
            "take a backup (--backup <file>), then re-run with CONFIRM_MIGRATION=yes");
    }

    private static async Task EnsureBookkeepingAsync(NpgsqlConnection connection, MigrationCatalog catalog, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var history = new NpgsqlCommand(catalog.CreateHistoryTableSql, connection, transaction))
            await history.ExecuteNonQueryAsync(ct);
        await using (var log = new NpgsqlCommand(MigrationJournal.CreateLogTableSql, connection, transaction))
            await log.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
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
        string.Join("; ", report.Errors.Take(5).Select(f => $"{f.Kind} {f.Object}: {f.Detail}")) + (report.Errors.Count() > 5 ? "; …" : "");
}
