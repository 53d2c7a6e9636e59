using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>
/// Runs one migration at a time through EF Core's own migrator (<see cref="IMigrator.MigrateAsync"/> to the next
/// target: EF applies its Up or Down in one transaction, under its lock, and keeps the history), each in its own
/// trace span with its log lines, metrics and progress report; Clearway's bookkeeping rides in that transaction.
/// Works on the run's connection, which holds the run lock.
/// </summary>
internal sealed class MigrationStepRunner : IAsyncDisposable
{

    private readonly ILogger _logger;
    private readonly IProgress<MigrationProgress>? _progress;
    private readonly MigrationBookkeeping _bookkeeping = new();
    private readonly ClearwayDbContext _context;
    private readonly IMigrator _migrator;

    public MigrationStepRunner(NpgsqlConnection connection, ILogger logger, IProgress<MigrationProgress>? progress)
    {
        _logger = logger;
        _progress = progress;
        _context = new ClearwayDbContext((DbContextOptions<ClearwayDbContext>)new DbContextOptionsBuilder<ClearwayDbContext>()
            .UseClearway(connection)
            .ReplaceService<IHistoryRepository, ClearwayHistoryRepository>()
            .AddInterceptors(_bookkeeping)
            .Options);
        _migrator = _context.GetService<IMigrator>();
        Catalog = new MigrationCatalog(_context);
    }

    /// <summary>EF Core's view of the migrations (statements, dropped tables) on this run's context.</summary>
    public MigrationCatalog Catalog { get; }

    /// <summary>Applies <paramref name="migration"/> (all earlier ones being applied).</summary>
    public Task<MigrationStepResult> ApplyAsync(MigrationInfo migration, int number, int count, CancellationToken ct) =>
        RunAsync(migration, MigrationDirection.Up, migration.Id, Catalog.UpSql(migration), dropsSeedMarker: false, number, count, ct);

    /// <summary>Reverts <paramref name="migration"/> (the newest applied one).</summary>
    public Task<MigrationStepResult> RevertAsync(MigrationInfo migration, int number, int count, CancellationToken ct) =>
        RunAsync(migration, MigrationDirection.Down, MigrationList.Previous(migration)?.Id ?? Migration.InitialDatabase, Catalog.DownSql(migration),
            dropsSeedMarker: Catalog.TablesDroppedByDown(migration).Count > 0, number, count, ct);

    private async Task<MigrationStepResult> RunAsync(MigrationInfo migration, MigrationDirection direction, string target,
        IReadOnlyList<MigrationCommand> commands, bool dropsSeedMarker, int number, int count, CancellationToken ct)
    {
        if (commands.FirstOrDefault(c => c.TransactionSuppressed) is { } suppressed)
            throw MigratorException.Failure(
                $"Migration {migration} has a statement that cannot run in a transaction; Clearway migrations must be transactional: {Shorten(suppressed.CommandText)}");

        using var activity = DataTelemetry.StartMigration(migration, direction);
        var step = new MigrationStep(migration, direction, commands.Count, Stopwatch.StartNew(), dropsSeedMarker);
        _logger.RunningStep(direction.Text(), migration.Name, migration.Version, commands.Count);
        _progress?.Report(new MigrationProgress(migration, direction, number, count, null));
        _bookkeeping.Step = step;
        try
        {
            await _migrator.MigrateAsync(target, ct);
        }
        catch (Exception thrown) when (Unwrap(thrown) is PostgresException e)
        {
            DataTelemetry.Record(activity, migration, direction, commands.Count, step.Clock.Elapsed, success: false);
            var failed = step.FailedStatement;
            var index = failed is null ? -1 : IndexOf(commands, failed);
            if (failed is not null)
                _logger.FailingStatement(migration.Name, failed);
            var where = index >= 0 ? $"statement {index + 1} of {commands.Count}" : "the migration history bookkeeping";
            var position = e.Position > 0 && failed is not null ? $" at position {e.Position} (near \"{Near(failed, e.Position)}\")" : "";
            throw new MigratorException(ExitCodes.Failure,
                $"Migration {migration.Name} ({migration.Version}) {direction.Text()} failed at {where} and was rolled back: SQLSTATE {e.SqlState}: {e.MessageText}{position}",
                PostgresErrorHints.For(e.SqlState, e), e)
            {
                SqlState = e.SqlState,
                Migration = migration.Name,
            };
        }
        catch (Exception thrown) when (Unwrap(thrown) is NpgsqlException e)
        {
            DataTelemetry.Record(activity, migration, direction, commands.Count, step.Clock.Elapsed, success: false);
            throw new MigratorException(ExitCodes.Failure,
                $"Migration {migration.Name} ({migration.Version}) {direction.Text()} was interrupted: {e.Message}; the server rolls its transaction back",
                PostgresErrorHints.For("08000"), e)
            {
                Migration = migration.Name,
            };
        }
        catch
        {
            DataTelemetry.Record(activity, migration, direction, commands.Count, step.Clock.Elapsed, success: false);
            throw;
        }
        finally
        {
            _bookkeeping.Step = null;
        }

        if (!step.Recorded)
            throw MigratorException.Failure(
                $"Migration {migration} {direction.Text()}: EF Core committed no change to the history; run `status` and compare");
        step.Clock.Stop();
        DataTelemetry.Record(activity, migration, direction, commands.Count, step.Clock.Elapsed, success: true);
        _logger.StepCommitted(direction == MigrationDirection.Up ? "Applied" : "Reverted", migration.Name, migration.Version, step.Clock.ElapsedMilliseconds, commands.Count);
        var result = new MigrationStepResult(migration, direction, step.Clock.Elapsed, commands.Count);
        _progress?.Report(new MigrationProgress(migration, direction, number, count, result));
        return result;
    }

    /// <summary>EF Core's execution strategy wraps a transient error (e.g. a terminated session) in an InvalidOperationException.</summary>
    private static Exception Unwrap(Exception e) => e is InvalidOperationException { InnerException: NpgsqlException inner } ? inner : e;

    private static int IndexOf(IReadOnlyList<MigrationCommand> commands, string text)
    {
        for (var i = 0; i < commands.Count; i++)
            if (commands[i].CommandText == text)
                return i;
        return -1;
    }

    private static string Near(string sql, int position)
    {
        var start = Math.Clamp(position - 1, 0, sql.Length);
        return Shorten(sql[start..]);
    }

    private static string Shorten(string sql)
    {
        var oneLine = string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= 60 ? oneLine : oneLine[..60] + "…";
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}

/// <summary>One migration step that committed.</summary>
public sealed record MigrationStepResult(MigrationInfo Migration, MigrationDirection Direction, TimeSpan Duration, int StatementCount);

/// <summary>
/// Progress of a migrate or rollback run, reported when step <see cref="Number"/> of <see cref="Count"/> starts
/// (<see cref="Committed"/> null) and when it has committed.
/// </summary>
public sealed record MigrationProgress(MigrationInfo Migration, MigrationDirection Direction, int Number, int Count, MigrationStepResult? Committed);

/// <summary>Which way a migration step goes.</summary>
public enum MigrationDirection
{
    /// <summary>Apply (the migration's Up).</summary>
    Up,

    /// <summary>Revert (the migration's Down).</summary>
    Down,
}

/// <summary>The direction as the journal, the logs and the spans write it.</summary>
public static class MigrationDirectionText
{
    /// <summary><c>up</c> or <c>down</c>.</summary>
    public static string Text(this MigrationDirection direction) => direction == MigrationDirection.Up ? "up" : "down";
}
