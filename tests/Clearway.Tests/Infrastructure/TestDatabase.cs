using System.Globalization;
using Clearway.Data;
using Clearway.Testing.Databases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Clearway.Tests.Infrastructure;

/// <summary>
/// A blank database from the fixture's factory (<see cref="ClearwayDatabaseOptions.Blank"/>), migrated by EF Core's own
/// migrator (or left empty), with the queries the tests of the migrations and the seeder ask of it; dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly ClearwayTestDatabase _database;

    private TestDatabase(ClearwayTestDatabase database)
    {
        _database = database;
        Name = database.Name;
        // Unpooled: the processes under test may put another database in its place (a swap ends its sessions), and a
        // pooled session of the test's would then be a dead one.
        ConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <param name="migrateTo">Migrate up to this migration (null: all); ignored when <paramref name="migrate"/> is false.</param>
    public static async Task<TestDatabase> CreateAsync(ClearwayDatabaseFactory factory, string? migrateTo = null, bool migrate = true, CancellationToken cancellationToken = default)
    {
        var database = new TestDatabase(await factory.CreateDatabaseAsync(ClearwayDatabaseOptions.Blank, cancellationToken: cancellationToken));
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

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
