using System.Data.Common;
using System.Diagnostics;
using Clearway.Data.Schema;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>The migration EF Core is running for the migrator right now.</summary>
internal sealed record MigrationStep(MigrationInfo Migration, MigrationDirection Direction, int StatementCount, Stopwatch Clock, bool DropsSeedMarker)
{
    /// <summary>Set when the transaction that records this step in EF's history is about to commit.</summary>
    public bool Recorded { get; set; }

    /// <summary>The text of the statement that failed, when one did.</summary>
    public string? FailedStatement { get; set; }
}

/// <summary>
/// Clearway's bookkeeping inside the transaction in which EF Core applies or reverts a migration, just before EF
/// commits it: checks that this session still holds the run lock (else the migration is not committed), writes the
/// migration log row, and, when the Down dropped tables, drops the seed marker with them. Also notes which statement
/// failed, for the error message.
/// </summary>
internal sealed class MigrationBookkeeping : DbTransactionInterceptor, IDbCommandInterceptor
{
    /// <summary>The step under way; null between steps (EF then commits nothing of ours).</summary>
    public MigrationStep? Step { get; set; }

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Step is { } step && transaction is NpgsqlTransaction npgsql && await RecordsAsync(npgsql, step, cancellationToken))
        {
            await EnsureLockHeldAsync(npgsql, step, cancellationToken);
            await ExecuteAsync(npgsql, MigrationJournal.CreateLogTableSql, cancellationToken);
            await MigrationJournal.WriteLogAsync(npgsql.Connection!, npgsql, step.Migration, step.Direction.Text(), step.Clock.Elapsed, step.StatementCount, cancellationToken);
            if (step.DropsSeedMarker)
                await ExecuteAsync(npgsql, $"DROP TABLE IF EXISTS {PostgresIdentifier.Quote(PlatformTables.SeedMarker)}", cancellationToken);
            step.Recorded = true;
        }
        return result;
    }

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Step is { } step)
            step.FailedStatement = command.CommandText;
        return Task.CompletedTask;
    }

    /// <summary>True when this transaction is the one that records the step (its history row added, or removed).</summary>
    private static async Task<bool> RecordsAsync(NpgsqlTransaction transaction, MigrationStep step, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT EXISTS (SELECT 1 FROM {PostgresIdentifier.Quote(PlatformTables.MigrationHistory)} WHERE \"MigrationId\" = @id)",
            transaction.Connection, transaction);
        command.Parameters.AddWithValue("id", step.Migration.Id);
        var present = (bool)(await command.ExecuteScalarAsync(ct))!;
        return present == (step.Direction == MigrationDirection.Up);
    }

    private static async Task EnsureLockHeldAsync(NpgsqlTransaction transaction, MigrationStep step, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(MigrationLock.HeldByThisSessionSql, transaction.Connection, transaction);
        command.Parameters.AddWithValue("key", MigrationLock.Key);
        if (!(bool)(await command.ExecuteScalarAsync(ct))!)
            throw new MigratorException(ExitCodes.Failure,
                $"Migration {step.Migration} {step.Direction.Text()} was not committed: the session running it no longer holds the migration lock, so another migrator may be running",
                "connect the migrator directly to PostgreSQL or through a pooler in session mode (a transaction-mode pooler cannot keep a session lock)")
            {
                Migration = step.Migration.Name,
            };
    }

    private static async Task ExecuteAsync(NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }
}
