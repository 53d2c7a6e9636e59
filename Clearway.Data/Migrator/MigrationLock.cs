using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>
/// The run lock: a PostgreSQL session advisory lock taken on the very connection that runs the migrations and held
/// for the whole run, so migrators started together take turns (EF Core's own lock on Npgsql is a table lock per
/// migration transaction, released between migrations). The lock cannot end without the session that does the work:
/// if that session is terminated, the run fails with it. A killed holder's session ends and the lock with it.
/// </summary>
internal sealed class MigrationLock : IAsyncDisposable
{
    /// <summary>"Clearway" in ASCII: the advisory lock key shared by every Clearway migrator.</summary>
    internal const long Key = 0x436C_6561_7277_6179;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan HolderLogInterval = TimeSpan.FromSeconds(5);

    private readonly NpgsqlConnection _connection;

    private MigrationLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>
    /// True when the session running this statement holds the lock; the migrator checks it inside each migration's
    /// transaction before the commit (a transaction-mode pooler could run it on a backend that does not). Parameter <c>@key</c> = <see cref="Key"/>.
    /// </summary>
    public const string HeldByThisSessionSql = """
        SELECT EXISTS (
            SELECT 1 FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND pid = pg_backend_pid()
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND (classid::bigint << 32) | objid::bigint = @key)
        """;

    /// <summary>Takes the lock on <paramref name="connection"/> (which stays the caller's), waiting at most <paramref name="limit"/>.</summary>
    public static async Task<MigrationLock> AcquireAsync(NpgsqlConnection connection, TimeSpan limit, ILogger logger,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? lastHolderLog = null;
        int? lastHolder = null;
        while (true)
        {
            await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", Key);
                if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
                {
                    if (lastHolderLog is not null) // only after having waited for another holder
                        logger.LockAcquired(clock.ElapsedMilliseconds);
                    return new MigrationLock(connection);
                }
            }

            var holder = await HolderAsync(connection, cancellationToken);
            if (lastHolderLog is null || holder?.Pid != lastHolder || clock.Elapsed - lastHolderLog >= HolderLogInterval)
            {
                logger.WaitingForLock(holder?.Pid, holder?.Application, holder?.Address, holder?.Since,
                    clock.ElapsedMilliseconds, (long)limit.TotalMilliseconds);
                lastHolder = holder?.Pid;
                lastHolderLog = clock.Elapsed;
            }

            if (clock.Elapsed >= limit)
            {
                throw MigratorException.Failure(
                    $"Timed out after {clock.Elapsed.TotalSeconds:0.#} s waiting for the migration lock held by pid {holder?.Pid.ToString() ?? "?"} ({holder?.Application ?? "unknown application"}).",
                    "another migrator is still running; wait for it, or inspect/terminate that pid via pg_stat_activity");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static async Task<Holder?> HolderAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT l.pid, a.application_name, host(a.client_addr), a.backend_start
            FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND (l.classid::bigint << 32) | l.objid::bigint = @key
            LIMIT 1
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", Key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new Holder(
            reader.GetInt32(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? "local socket" : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTime>(3));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection);
                command.Parameters.AddWithValue("key", Key);
                await command.ExecuteScalarAsync();
            }
        }
        catch (NpgsqlException)
        {
            // The session is gone, and the lock with it.
        }
    }

    private sealed record Holder(int Pid, string? Application, string? Address, DateTime? Since);
}
