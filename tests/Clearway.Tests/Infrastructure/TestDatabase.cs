using System.Globalization;
using Clearway.Data;
using Clearway.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Clearway.Tests.Infrastructure;

/// <summary>
/// A fresh database of its own on the shared server, migrated by EF Core's own migrator (or left empty), dropped on
/// dispose. For tests of the migrations and the seeder themselves; other tests take a clone from ClearwayDatabase.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;

    private TestDatabase(PostgresServer server, string name)
    {
        _server = server;
        Name = name;
        // Unpooled: the processes under test may put another database in its place (a swap ends its sessions), and a
        // pooled session of the test's would then be a dead one.
        ConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionStringFor(name)) { Pooling = false }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <param name="migrateTo">Migrate up to this migration (null: all); ignored when <paramref name="migrate"/> is false.</param>
    public static async Task<TestDatabase> CreateAsync(PostgresServer server, string? migrateTo = null, bool migrate = true, CancellationToken cancellationToken = default)
    {
        var database = new TestDatabase(server, await server.CreateDatabaseAsync(cancellationToken: cancellationToken));
        if (migrate)
            await database.MigrateToAsync(migrateTo, cancellationToken);
        return database;
    }

    /// <summary>Migrates up or down to <paramref name="targetMigration"/> (null: latest, "0": nothing).</summary>
    public async Task MigrateToAsync(string? targetMigration, CancellationToken cancellationToken = default)
    {
        await using var context = new ClearwayDbContext(ClearwayNpgsql.Options(ConnectionString));
        await context.GetService<IMigrator>().MigrateAsync(targetMigration, cancellationToken);
        // Enum types created or dropped by a migration must not linger in pooled connections' type caches.
        NpgsqlConnection.ClearAllPools();
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        var value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of every row, as text ("" for NULL).</summary>
    public async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString()!);
        return values;
    }

    public async ValueTask DisposeAsync() => await _server.DropDatabaseAsync(Name);
}
