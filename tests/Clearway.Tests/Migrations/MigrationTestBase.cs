using System.Security.Cryptography;
using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Clearway.Testing;
using Npgsql;

namespace Clearway.Tests.Migrations;

/// <summary>Per-test databases on the shared server, the worker's environment, and small catalog queries.</summary>
public abstract class MigrationTestBase(PostgresServerFixture fixture) : IAsyncLifetime
{
    private readonly List<string> _databases = [];

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

    /// <summary>Creates an empty database that is dropped after the test.</summary>
    protected async Task<string> CreateDatabaseAsync()
    {
        var name = NewDatabaseName();
        await Server.CreateDatabaseAsync(name, Ct);
        return name;
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

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
            await Server.DropDatabaseAsync(database, CancellationToken.None);
        GC.SuppressFinalize(this);
    }
}
