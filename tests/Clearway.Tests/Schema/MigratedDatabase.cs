using Clearway.Data;
using Clearway.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Clearway.Tests.Schema;

/// <summary>A fresh database of its own on the shared server, migrated by EF Core's own migrator, dropped on dispose.</summary>
internal sealed class MigratedDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;

    private MigratedDatabase(PostgresServer server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = server.ConnectionStringFor(name);
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<MigratedDatabase> CreateAsync(PostgresServer server, string? targetMigration = null, CancellationToken cancellationToken = default)
    {
        var database = new MigratedDatabase(server, await server.CreateDatabaseAsync(cancellationToken: cancellationToken));
        await database.MigrateToAsync(targetMigration, cancellationToken);
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

    public async ValueTask DisposeAsync() => await _server.DropDatabaseAsync(Name);
}
