using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Clearway.Data.Schema;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.States;

/// <summary>
/// Puts a prepared database in place of a live one, under the live one's name, while others may be connected to it
/// (the app, the database manager, a psql session): new sessions are held off, those open are ended (their clients
/// reconnect by themselves, to the new database), then both renames commit in one transaction, and the old database is
/// dropped. A kill at any moment leaves a complete database under the name, the old one or the new one;
/// <see cref="RecoverAsync"/>, which every swap runs first, drops what a killed swap left and lets sessions in again.
/// </summary>
public static partial class DatabaseSwap
{
    private const string NextInfix = "__next_";
    private const string PreviousInfix = "__prev_";
    private static readonly TimeSpan SessionsEndLimit = TimeSpan.FromSeconds(30);

    /// <summary>A fresh name to prepare the replacement of <paramref name="target"/> under (dropped by recovery if never swapped in).</summary>
    public static string NextName(string target) => target + NextInfix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Replaces <paramref name="target"/> by <paramref name="replacement"/> (labelled <paramref name="label"/>); creates it if it does not exist.</summary>
    public static async Task SwapAsync(StateServer server, string target, string replacement, StateLabel label, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var activity = StateTelemetry.Source.StartActivity("swap database");
        activity?.SetTag("clearway.states.database", target);
        activity?.SetTag("clearway.states.state", label.Describe());
        var clock = Stopwatch.StartNew();
        await using var admin = await server.OpenAdminAsync(cancellationToken);
        await using var _ = await SwapLock.TakeAsync(admin, target, cancellationToken);
        await RecoverLockedAsync(server, admin, target, logger, cancellationToken, keep: replacement);
        await StateCatalog.WriteAsync(admin, replacement, label, cancellationToken);

        var exists = await ExistsAsync(admin, target, cancellationToken);
        var previous = target + PreviousInfix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var sessions = 0;
        if (exists)
        {
            await StateServer.ExecuteAsync(admin, $"ALTER DATABASE {PostgresIdentifier.Quote(target)} WITH ALLOW_CONNECTIONS false", cancellationToken);
            sessions = await EndSessionsAsync(admin, target, cancellationToken);
        }
        try
        {
            await using (var transaction = await admin.BeginTransactionAsync(cancellationToken))
            {
                if (exists)
                    await StateServer.ExecuteAsync(admin, $"ALTER DATABASE {PostgresIdentifier.Quote(target)} RENAME TO {PostgresIdentifier.Quote(previous)}", cancellationToken);
                await StateServer.ExecuteAsync(admin, $"ALTER DATABASE {PostgresIdentifier.Quote(replacement)} RENAME TO {PostgresIdentifier.Quote(target)}", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch
        {
            if (exists)
                await AllowConnectionsAsync(admin, target);
            throw;
        }
        // Pooled connections to the old database are dead: no pool of this process hands them out again.
        NpgsqlConnection.ClearAllPools();
        if (exists)
            await server.DropAsync(previous, CancellationToken.None);
        StateTelemetry.Record("swap", clock.Elapsed);
        LogSwapped(logger, target, label.Describe(), sessions, clock.ElapsedMilliseconds);
    }

    /// <summary>
    /// Undoes what a killed swap of <paramref name="target"/> left: replacements never swapped in and old databases never
    /// dropped are dropped; sessions are let in again.
    /// </summary>
    public static async Task RecoverAsync(StateServer server, string target, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        await using var admin = await server.OpenAdminAsync(cancellationToken);
        await using var _ = await SwapLock.TakeAsync(admin, target, cancellationToken);
        await RecoverLockedAsync(server, admin, target, logger, cancellationToken);
    }

    /// <param name="keep">The replacement a swap under way prepared (it is not a leftover).</param>
    internal static async Task RecoverLockedAsync(StateServer server, NpgsqlConnection admin, string target, ILogger logger, CancellationToken ct, string? keep = null)
    {
        foreach (var infix in new[] { NextInfix, PreviousInfix })
        {
            foreach (var (leftover, _, _) in await StateCatalog.ListAsync(admin, target + infix, ct))
            {
                if (leftover == keep)
                    continue;
                await server.DropAsync(leftover, ct);
                LogLeftoverDropped(logger, leftover, target);
            }
        }
        await using var command = new NpgsqlCommand("SELECT NOT datallowconn FROM pg_database WHERE datname = $1", admin);
        command.Parameters.AddWithValue(target);
        if (await command.ExecuteScalarAsync(ct) is true)
        {
            await AllowConnectionsAsync(admin, target);
            LogConnectionsAllowed(logger, target);
        }
    }

    /// <summary>Ends every other session on <paramref name="database"/> and waits (bounded) until they are gone; returns how many there were.</summary>
    internal static async Task<int> EndSessionsAsync(NpgsqlConnection admin, string database, CancellationToken ct)
    {
        var ended = 0;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", admin);
            command.Parameters.AddWithValue(database);
            var count = (long)(await command.ExecuteScalarAsync(ct))!;
            if (count == 0)
                return ended;
            ended = Math.Max(ended, (int)count);
            if (clock.Elapsed > SessionsEndLimit)
                throw new StateException($"{count} session(s) on database \"{database}\" did not end within {SessionsEndLimit.TotalSeconds:0} s of being terminated; nothing was swapped",
                    "find them in pg_stat_activity; a session that ignores termination is stuck in the server");
            // A terminated backend leaves pg_stat_activity within milliseconds; this waits for that, bounded above.
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }
    }

    internal static async Task AllowConnectionsAsync(NpgsqlConnection admin, string database) =>
        await StateServer.ExecuteAsync(admin, $"ALTER DATABASE {PostgresIdentifier.Quote(database)} WITH ALLOW_CONNECTIONS true", CancellationToken.None);

    private static async Task<bool> ExistsAsync(NpgsqlConnection admin, string database, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", admin);
        command.Parameters.AddWithValue(database);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    [LoggerMessage(20, LogLevel.Information, "Swapped database {Database} to {State} in {ElapsedMs} ms ({Sessions} session(s) ended; they reconnect)")]
    private static partial void LogSwapped(ILogger logger, string database, string state, int sessions, long elapsedMs);

    [LoggerMessage(21, LogLevel.Warning, "Dropped {Leftover}: left by a swap of {Database} that never finished")]
    private static partial void LogLeftoverDropped(ILogger logger, string leftover, string database);

    [LoggerMessage(22, LogLevel.Warning, "Let sessions into {Database} again: a swap that never finished had held them off")]
    private static partial void LogConnectionsAllowed(ILogger logger, string database);
}

/// <summary>One swap or snapshot of a database at a time, across processes (a session advisory lock on the admin connection).</summary>
internal sealed class SwapLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _admin;
    private readonly long _key;

    private SwapLock(NpgsqlConnection admin, long key) => (_admin, _key) = (admin, key);

    public static async Task<SwapLock> TakeAsync(NpgsqlConnection admin, string database, CancellationToken ct)
    {
        var key = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("swap:" + database)), 0);
        await StateServer.ExecuteAsync(admin, $"SELECT pg_advisory_lock({key})", ct);
        return new SwapLock(admin, key);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StateServer.ExecuteAsync(_admin, $"SELECT pg_advisory_unlock({_key})", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The session is gone, and its lock with it.
        }
    }
}
