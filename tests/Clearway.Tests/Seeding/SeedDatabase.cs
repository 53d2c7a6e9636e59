using System.Text;
using Clearway.Seeding;
using Clearway.Testing.Databases;
using Clearway.Tests.Infrastructure;
using Npgsql;

namespace Clearway.Tests.Seeding;

/// <summary>The seeding tests' pinned options, and what they ask of a <see cref="TestDatabase"/>.</summary>
public static class SeedDatabase
{
    /// <summary>The as-of date every seeding test pins (the seed must not depend on the day the tests run).</summary>
    public static readonly DateOnly AsOf = new(2026, 6, 15);

    /// <summary>A fresh database, migrated unless <paramref name="migrate"/> is false.</summary>
    public static Task<TestDatabase> CreateAsync(ClearwayDatabaseFactory factory, bool migrate = true) => TestDatabase.CreateAsync(factory, migrate: migrate);

    public static SeedOptions Options(SeedProfile profile, int seed = 42, bool reset = false) =>
        new() { Profile = profile, Seed = seed, AsOf = AsOf, Reset = reset };

    public static Task<SeedResult> SeedAsync(this TestDatabase db, SeedOptions options) => SeedRunner.SeedAsync(db.ConnectionString, options);

    /// <summary>Per table: md5 over its rows as text, ordered by id (the determinism fingerprint), plus the row count.</summary>
    public static async Task<Dictionary<string, string>> TableFingerprintsAsync(this TestDatabase db)
    {
        var sql = new StringBuilder();
        foreach (var table in SeedPlan.TableOrder)
        {
            if (sql.Length > 0) sql.Append(" UNION ALL ");
            sql.Append($"SELECT '{table}', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM \"{table}\" t)");
        }
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.ToString(), connection) { CommandTimeout = 120 };
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync()) result[reader.GetString(0)] = reader.GetString(1);
        return result;
    }

    /// <summary>One SHA-256 over <see cref="TableFingerprintsAsync"/> in write order: the whole seed's contents.</summary>
    public static async Task<string> ContentsHashAsync(this TestDatabase db)
    {
        var tables = await db.TableFingerprintsAsync();
        var text = string.Join(";", SeedPlan.TableOrder.Select(t => $"{t}={tables[t]}"));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public static async Task<bool> MarkerExistsAsync(this TestDatabase db) =>
        await db.ScalarAsync<bool>($"SELECT to_regclass('public.\"{SeedRunner.MarkerTable}\"') IS NOT NULL");
}
