using Clearway.Data.Schema;
using Clearway.Seeding.Tables;
using Npgsql;

namespace Clearway.Seeding;

/// <summary>
/// The seed marker (<see cref="SeedRunner.MarkerTable"/>, one row): which seed the 28 tables hold. Read, written
/// and removed only here, always in the transaction that writes or empties the tables it describes.
/// </summary>
public sealed record SeedMarker(string Fingerprint, string Canonical, DateTime SeededAtUtc)
{
    private static readonly string Table = "public." + PostgresIdentifier.Quote(SeedRunner.MarkerTable);

    /// <summary>
    /// The marker, or null when the database holds no seed of <see cref="SeedRunner"/>: never seeded, or a marker
    /// that outlived its rows (all 28 tables empty or gone, e.g. after <c>rollback --to 0</c> and <c>migrate</c>).
    /// </summary>
    public static async Task<SeedMarker?> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        var marker = await ReadRowAsync(connection, cancellationToken);
        return marker is not null && await AnySeedTableHoldsRowsAsync(connection, cancellationToken) ? marker : null;
    }

    /// <summary>The marker row as written, trusted or not.</summary>
    internal static async Task<SeedMarker?> ReadRowAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!await PostgresCatalog.RelationExistsAsync(connection, SeedRunner.MarkerTable, cancellationToken))
            return null;
        await using var command = SeedSql.Command(connection, $"SELECT \"fingerprint\", \"canonical\", \"seededAt\" FROM {Table} WHERE \"id\" = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SeedMarker(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTime>(2))
            : null;
    }

    private static async Task<bool> AnySeedTableHoldsRowsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var existing = new List<string>();
        foreach (var table in SeedPlan.TableOrder)
            if (await PostgresCatalog.RelationExistsAsync(connection, table, ct))
                existing.Add(table);
        if (existing.Count == 0)
            return false;
        await using var command = SeedSql.Command(connection,
            "SELECT " + string.Join(" OR ", existing.Select(t => $"EXISTS (SELECT 1 FROM public.{PostgresIdentifier.Quote(t)})")));
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The rows per table the marker says were written, in write order (empty without a marker).</summary>
    public static async Task<IReadOnlyList<SeedTableResult>> ReadRowsAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!await PostgresCatalog.RelationExistsAsync(connection, SeedRunner.MarkerTable, cancellationToken))
            return [];
        await using var command = SeedSql.Command(connection, $"SELECT key, value::bigint FROM {Table}, jsonb_each(\"rows\") WHERE \"id\" = 1");
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                rows[reader.GetString(0)] = reader.GetInt64(1);
        }
        return SeedPlan.TableOrder.Where(rows.ContainsKey).Select(t => new SeedTableResult(t, rows[t], TimeSpan.Zero)).ToList();
    }

    /// <summary>Opens a connection and reads the marker.</summary>
    public static async Task<SeedMarker?> ReadAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await ReadAsync(connection, cancellationToken);
    }

    /// <summary>Removes the marker (in the caller's transaction, together with emptying the tables it describes).</summary>
    public static Task RemoveAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default) =>
        SeedSql.ExecuteAsync(connection, $"DROP TABLE IF EXISTS {Table}", cancellationToken);

    /// <summary>Creates the table if needed and writes the one marker row for this seed.</summary>
    internal static async Task WriteAsync(NpgsqlConnection connection, SeedOptions options, SeedPlan plan,
        IReadOnlyList<SeedTableResult> tables, TimeSpan elapsed, CancellationToken ct)
    {
        await SeedSql.ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {Table} (
                "id" integer PRIMARY KEY CHECK ("id" = 1),
                "fingerprint" text NOT NULL,
                "canonical" text NOT NULL,
                "seederVersion" text NOT NULL,
                "plan" jsonb NOT NULL,
                "rows" jsonb NOT NULL,
                "elapsedMs" bigint NOT NULL,
                "seededAt" timestamptz NOT NULL DEFAULT now())
            """, ct);
        await using var command = SeedSql.Command(connection, $"""
            INSERT INTO {Table} ("id", "fingerprint", "canonical", "seederVersion", "plan", "rows", "elapsedMs")
            VALUES (1, @fingerprint, @canonical, @version, @plan::jsonb, @rows::jsonb, @elapsed)
            ON CONFLICT ("id") DO UPDATE SET "fingerprint" = EXCLUDED."fingerprint", "canonical" = EXCLUDED."canonical",
                "seederVersion" = EXCLUDED."seederVersion", "plan" = EXCLUDED."plan", "rows" = EXCLUDED."rows",
                "elapsedMs" = EXCLUDED."elapsedMs", "seededAt" = now()
            """);
        command.Parameters.AddWithValue("fingerprint", options.Fingerprint);
        command.Parameters.AddWithValue("canonical", options.Canonical);
        command.Parameters.AddWithValue("version", SeedRunner.SeederVersion);
        command.Parameters.AddWithValue("plan", plan.ToJson());
        command.Parameters.AddWithValue("rows", RowsJson(tables));
        command.Parameters.AddWithValue("elapsed", (long)elapsed.TotalMilliseconds);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string RowsJson(IReadOnlyList<SeedTableResult> tables)
    {
        var json = Json.Start();
        json.WriteStartObject();
        foreach (var table in tables)
            json.WriteNumber(table.Table, table.Rows);
        json.WriteEndObject();
        return Json.Finish(json);
    }
}
