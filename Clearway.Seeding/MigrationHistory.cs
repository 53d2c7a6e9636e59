using System.Reflection;
using Clearway.Data;
using Clearway.Data.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Clearway.Seeding;

/// <summary>
/// Whether a database has every migration of this build, read from EF Core's history table directly: building
/// EF Core's model and services for that one question cost the seeder most of its start-up.
/// </summary>
internal static class MigrationHistory
{
    /// <summary>The history table EF Core keeps (its default name, which Clearway does not change).</summary>
    public const string Table = "__EFMigrationsHistory";

    /// <summary>
    /// The ids of the migrations compiled into Clearway.Data, oldest first, from their <c>[Migration]</c> attributes
    /// (what EF Core's migrations assembly reads too).
    /// </summary>
    public static IReadOnlyList<string> CompiledIds { get; } = typeof(ClearwayDbContext).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Migration)) && !t.IsAbstract
                    && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(ClearwayDbContext))
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
        .OfType<string>()
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The compiled migrations the database has not applied, oldest first.</summary>
    public static async Task<IReadOnlyList<string>> PendingAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        if (!await PostgresCatalog.RelationExistsAsync(connection, Table, ct))
            return CompiledIds;
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using var command = SeedSql.Command(connection, $"SELECT \"MigrationId\" FROM {PostgresIdentifier.Quote(Table)}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) applied.Add(reader.GetString(0));
        return CompiledIds.Where(id => !applied.Contains(id)).ToArray();
    }

    /// <summary>True when the history names at least one Clearway migration.</summary>
    public static async Task<bool> HasAnyAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        if (!await PostgresCatalog.RelationExistsAsync(connection, Table, ct))
            return false;
        await using var command = SeedSql.Command(connection, $"SELECT count(*) FROM {PostgresIdentifier.Quote(Table)} WHERE \"MigrationId\" = ANY(@ids)");
        command.Parameters.AddWithValue("ids", CompiledIds.ToArray());
        return (long)(await command.ExecuteScalarAsync(ct))! > 0;
    }
}
