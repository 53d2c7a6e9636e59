using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>Runs one migration's Up or Down in its own transaction and its own trace span.</summary>
internal sealed class MigrationStepRunner(MigratorOptions options, ILogger logger)
{
    public const string Up = "up";
    public const string Down = "down";

    /// <summary>Runs the statements, the history bookkeeping and our log row, then commits; on error rolls back and throws.</summary>
    public async Task<MigrationStepResult> RunAsync(NpgsqlConnection connection, MigrationInfo migration, string direction,
        MigrationSql sql, CancellationToken cancellationToken)
    {
        var suppressed = sql.Commands.FirstOrDefault(c => c.TransactionSuppressed);
        if (suppressed is not null)
            throw MigratorException.Failure(
                $"Migration {migration} has a statement that cannot run in a transaction; Clearway migrations must be transactional: {Shorten(suppressed.CommandText)}");

        using var activity = MigrationTelemetry.StartMigration(migration, direction);
        var clock = Stopwatch.StartNew();
        var statement = 0;
        var statements = sql.Commands.Count;
        logger.RunningStep(direction, migration.Name, migration.Version, statements);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            foreach (var command in sql.Commands)
            {
                statement++;
                await ExecuteAsync(connection, transaction, command.CommandText, cancellationToken);
            }
            statement = 0;
            await ExecuteAsync(connection, transaction, sql.HistorySql, cancellationToken);
            await MigrationJournal.WriteLogAsync(connection, transaction, migration, direction, clock.Elapsed, statements, cancellationToken);
            if (direction == Up && options.BeforeCommit is { } beforeCommit)
                await beforeCommit(migration, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            await RollBackQuietlyAsync(transaction);
            MigrationTelemetry.Record(activity, migration, direction, statements, clock.Elapsed, success: false);
            var failed = statement > 0 ? sql.Commands[statement - 1].CommandText : sql.HistorySql;
            logger.FailingStatement(migration.Name, failed);
            var where = statement > 0 ? $"statement {statement} of {statements}" : "the history update";
            var position = e.Position > 0 ? $" at position {e.Position} (near \"{Near(failed, e.Position)}\")" : "";
            throw new MigratorException(ExitCodes.Failure,
                $"Migration {migration.Name} ({migration.Version}) {direction} failed at {where} and was rolled back: SQLSTATE {e.SqlState}: {e.MessageText}{position}",
                PostgresErrorHints.For(e.SqlState, e), e)
            {
                SqlState = e.SqlState,
                Migration = migration.Name,
            };
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            await RollBackQuietlyAsync(transaction);
            MigrationTelemetry.Record(activity, migration, direction, statements, clock.Elapsed, success: false);
            throw new MigratorException(ExitCodes.Failure,
                $"Migration {migration.Name} ({migration.Version}) {direction} was interrupted at statement {statement} of {statements}: {e.Message}; the server rolls the transaction back",
                PostgresErrorHints.For("08000"), e)
            {
                Migration = migration.Name,
            };
        }
        catch
        {
            await RollBackQuietlyAsync(transaction);
            MigrationTelemetry.Record(activity, migration, direction, statements, clock.Elapsed, success: false);
            throw;
        }

        clock.Stop();
        MigrationTelemetry.Record(activity, migration, direction, statements, clock.Elapsed, success: true);
        logger.StepCommitted(direction == Up ? "Applied" : "Reverted", migration.Name, migration.Version, clock.ElapsedMilliseconds, statements);
        return new MigrationStepResult(migration, direction, clock.Elapsed, statements);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task RollBackQuietlyAsync(NpgsqlTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // Connection broken: the server rolls the transaction back when the session ends.
        }
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
}

/// <summary>One migration step that committed.</summary>
public sealed record MigrationStepResult(MigrationInfo Migration, string Direction, TimeSpan Duration, int StatementCount);
