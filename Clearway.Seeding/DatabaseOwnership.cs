using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Npgsql;

namespace Clearway.Seeding;

/// <summary>
/// Whether a database is Clearway's to wipe (what <c>clearway reset</c> checks first): it has Clearway migration
/// history, or the seed marker, or none of the 28 tables holds a row.
/// </summary>
public static class DatabaseOwnership
{
    /// <summary>Why the database counts as ours (one phrase), or throws <see cref="SeedRefusedException"/> naming a table with rows.</summary>
    public static async Task<string> EnsureOursAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if ((await ClearwayMigrator.PendingAsync(connection, cancellationToken)).Count < ClearwayMigrator.Migrations.Count)
            return "it has Clearway migration history";
        if (await SeedMarker.ReadAsync(connection, cancellationToken) is not null)
            return "it has the Clearway seed marker";
        foreach (var table in SeedPlan.TableOrder)
        {
            if (!await PostgresCatalog.RelationExistsAsync(connection, table, cancellationToken))
                continue;
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM public.{PostgresIdentifier.Quote(table)}", connection);
            var rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            if (rows > 0)
                throw new SeedRefusedException(
                    $"refusing to reset: this is not a Clearway database (no migration history, no seed marker) and table \"{table}\" holds {rows:N0} rows; nothing was changed");
        }
        return "none of the 28 tables holds rows";
    }
}
