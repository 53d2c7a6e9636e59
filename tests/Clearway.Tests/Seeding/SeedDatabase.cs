using System.Text;
using Clearway.Data;
using Clearway.Seeding;
using Clearway.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Clearway.Tests.Seeding;

/// <summary>A fresh database on the shared server, migrated with EF Core (optionally left unmigrated), dropped on dispose.</summary>
public sealed class SeedDatabase : IAsyncDisposable
{
    /// <summary>The as-of date every seeding test pins (the seed must not depend on the day the tests run).</summary>
    public static readonly DateOnly AsOf = new(2026, 6, 15);

    private readonly PostgresServer _server;

    private SeedDatabase(PostgresServer server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = server.ConnectionStringFor(name);
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<SeedDatabase> CreateAsync(PostgresServer server, bool migrate = true)
    {
        var db = new SeedDatabase(server, await server.CreateDatabaseAsync());
        if (migrate)
        {
            await using var context = new ClearwayDbContext(ClearwayNpgsql.Options(db.ConnectionString));
            await context.Database.MigrateAsync();
            NpgsqlConnection.ClearAllPools();
        }
        return db;
    }

    public static SeedOptions Options(SeedProfile profile, int seed = 42, bool reset = false) =>
        new() { Profile = profile, Seed = seed, AsOf = AsOf, Reset = reset };

    public Task<SeedResult> SeedAsync(SeedOptions options) => new SeedRunner().RunAsync(ConnectionString, options);

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        var value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString()!);
        return values;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Per table: md5 over its rows as text, ordered by id (the determinism fingerprint), plus the row count.</summary>
    public async Task<Dictionary<string, string>> TableFingerprintsAsync()
    {
        var sql = new StringBuilder();
        foreach (var table in SeedPlan.TableOrder)
        {
            if (sql.Length > 0) sql.Append(" UNION ALL ");
            sql.Append($"SELECT '{table}', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM \"{table}\" t)");
        }
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.ToString(), connection) { CommandTimeout = 120 };
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync()) result[reader.GetString(0)] = reader.GetString(1);
        return result;
    }

    public async Task<bool> MarkerExistsAsync() =>
        await ScalarAsync<bool>($"SELECT to_regclass('public.\"{SeedRunner.MarkerTable}\"') IS NOT NULL");

    public async ValueTask DisposeAsync() => await _server.DropDatabaseAsync(Name);
}
