using System.Security.Cryptography;
using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Clearway.Testing.Xunit;
using Clearway.Testing;
using Clearway.Testing.Databases;
using Clearway.Tests.Infrastructure;
using Npgsql;

namespace Clearway.Tests.Migrations;

/// <summary>Per-test databases on the shared server, the worker's environment, and small catalog queries.</summary>
public abstract class MigrationTestBase(ClearwayFixture fixture) : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private readonly List<ClearwayTestDatabase> _created = [];

    protected PostgresServer Server => fixture.Server;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every migration of this build, oldest first.</summary>
    protected static IReadOnlyList<MigrationInfo> All => ClearwayMigrator.Migrations;

    /// <summary>A fresh database name that is dropped after the test; the database is not created.</summary>
    protected string NewDatabaseName()
    {
        var name = "clearway_mig_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        _databases.Add(name);
        return name;
    }

    /// <summary>A blank database from the fixture's factory, dropped after the test; returns its name.</summary>
    protected async Task<string> CreateDatabaseAsync()
    {
        var database = await fixture.Factory.CreateDatabaseAsync(ClearwayDatabaseOptions.Blank, cancellationToken: Ct);
        _created.Add(database);
        return database.Name;
    }

    /// <summary>Unpooled, so dropping the database afterwards finds no idle session of ours.</summary>
    protected string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(Server.ConnectionStringFor(database)) { Pooling = false }.ConnectionString;

    /// <summary>The worker's environment: connection string, Development unless told otherwise.</summary>
    protected Dictionary<string, string?> Env(string database, string environment = "Development") => new()
    {
        ["ConnectionStrings__clearway"] = ConnectionString(database),
        ["DOTNET_ENVIRONMENT"] = environment,
    };

    protected Task<ProcessResult> RunAsync(string database, params string[] args) => MigrationServiceProcess.RunAsync(Env(database), args);

    protected async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    protected async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    protected Task<bool> TableExistsAsync(string database, string table) =>
        ScalarAsync<bool>(database, $"SELECT to_regclass('public.\"{table}\"') IS NOT NULL");

    protected Task<bool> DatabaseExistsAsync(string database) =>
        ScalarAsync<bool>("postgres", $"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = '{database}')");

    /// <summary>Migration ids in EF's history table, oldest first (empty when there is no history table).</summary>
    protected async Task<IReadOnlyList<string>> HistoryAsync(string database)
    {
        if (!await TableExistsAsync(database, "__EFMigrationsHistory"))
            return [];
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY 1""", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(Ct))
            ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>How many times each migration was applied ("up" rows of the migration log).</summary>
    protected async Task<Dictionary<string, long>> AppliedCountsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            """SELECT "migrationId", count(*) FROM "__ClearwayMigrationLog" WHERE "direction" = 'up' GROUP BY 1""", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync(Ct))
            counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    protected async Task<SchemaReport> VerifyAsync(string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(Ct);
        return await SchemaVerifier.VerifyAsync(connection, Ct);
    }

    /// <summary>Every relation, type and constraint in public with the transaction that last wrote its catalog row.</summary>
    protected Task<string> CatalogFingerprintAsync(string database) => ScalarAsync<string>(database, """
        SELECT concat_ws('|',
          (SELECT string_agg(c.relname || ':' || c.relkind::text || ':' || c.xmin::text, ',' ORDER BY c.relname)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'),
          (SELECT string_agg(t.typname || ':' || t.xmin::text, ',' ORDER BY t.typname)
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public'),
          (SELECT string_agg(k.conname || ':' || k.xmin::text, ',' ORDER BY k.conname)
             FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname = 'public'),
          (SELECT count(*)::text FROM "__ClearwayMigrationLog"))
        """);

    /// <summary>
    /// Takes <c>LOCK TABLE ... IN ACCESS EXCLUSIVE MODE</c> on <paramref name="table"/> from the test's own connection,
    /// so that a migrator reaching a statement on it blocks there; disposing releases it (rollback).
    /// </summary>
    protected async Task<TableLock> LockTableAsync(string database, string table)
    {
        var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        await using var command = new NpgsqlCommand($"LOCK TABLE {PostgresIdentifier.Quote(table)} IN ACCESS EXCLUSIVE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync(Ct);
        return new TableLock(connection, transaction);
    }

    /// <summary>
    /// Waits until a migrator session on <paramref name="database"/> is blocked on a lock in a statement containing
    /// <paramref name="statement"/>, failing at once if <paramref name="worker"/> exits first; returns its pid.
    /// </summary>
    protected Task<int> WaitUntilBlockedAsync(string database, WorkerProcess worker, string statement) =>
        ServerActivity.WaitUntilBlockedAsync(ConnectionString(database), statement, worker, "clearway-migrator");

    /// <summary>Waits until the server has ended backend <paramref name="pid"/> (e.g. after its client was killed).</summary>
    protected Task WaitUntilBackendGoneAsync(int pid) => ServerActivity.WaitUntilBackendGoneAsync(ConnectionString("postgres"), pid);

    /// <summary>The pid of the session holding the migrator's run lock on <paramref name="database"/> (0: none).</summary>
    protected Task<int> RunLockHolderAsync(string database) => ScalarAsync<int>(database, $"""
        SELECT coalesce(max(pid), 0) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND (classid::bigint << 32) | objid::bigint = {MigrationLock.Key}
        """);

    /// <summary>A lock held by the test's own transaction.</summary>
    protected sealed class TableLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync(CancellationToken.None);
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _created)
            await database.DisposeAsync();
        foreach (var database in _databases)
            await Server.DropDatabaseAsync(database, CancellationToken.None);
        GC.SuppressFinalize(this);
    }
}
