using Clearway.Data.Schema;
using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>
/// What the database says about its migrations: EF Core's <c>__EFMigrationsHistory</c> (which ran) and our
/// <c>__ClearwayMigrationLog</c> (when, how long, by whom; one row per Up or Down).
/// </summary>
/// <remarks>
/// EF's history table has no timestamp. Commit timestamps (<c>pg_xact_commit_timestamp</c>) need
/// <c>track_commit_timestamp = on</c>, a server restart and are lost for old rows, so they are not dependable on a
/// managed server. Our own log row is written in the migration's transaction, so it exists exactly when the
/// migration committed, and it doubles as an audit trail (a migration applied twice would show two rows).
/// </remarks>
internal static class MigrationJournal
{
    private const string HistoryTable = PlatformTables.MigrationHistory;
    private const string LogTable = PlatformTables.MigrationLog;

    public const string CreateLogTableSql = $"""
        CREATE TABLE IF NOT EXISTS "{LogTable}" (
            "id" bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT "{LogTable}_pkey" PRIMARY KEY,
            "migrationId" text NOT NULL,
            "direction" text NOT NULL CHECK ("direction" IN ('up', 'down')),
            "appliedAt" timestamptz NOT NULL DEFAULT clock_timestamp(),
            "durationMs" integer NOT NULL,
            "statementCount" integer NOT NULL,
            "appliedBy" text NOT NULL DEFAULT current_user,
            "clientHost" text,
            "backendPid" integer NOT NULL DEFAULT pg_backend_pid(),
            "productVersion" text NOT NULL
        );
        COMMENT ON TABLE "{LogTable}" IS 'Clearway migrator: one row per migration applied (up) or reverted (down).';
        """;

    /// <summary>Ids in EF's history table, in order; empty when the table does not exist.</summary>
    public static async Task<IReadOnlyList<string>> AppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        if (!await PostgresCatalog.RelationExistsAsync(connection, HistoryTable, ct))
            return [];
        await using var command = new NpgsqlCommand($"SELECT \"MigrationId\" FROM \"{HistoryTable}\" ORDER BY \"MigrationId\"", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>When each currently applied migration was last applied, from our log (missing when applied by another tool).</summary>
    public static async Task<IReadOnlyDictionary<string, DateTime>> AppliedAtAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var result = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        if (!await PostgresCatalog.RelationExistsAsync(connection, LogTable, ct))
            return result;
        await using var command = new NpgsqlCommand($"""
            SELECT DISTINCT ON ("migrationId") "migrationId", "direction", "appliedAt"
            FROM "{LogTable}" ORDER BY "migrationId", "id" DESC
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetString(1) == "up")
                result[reader.GetString(0)] = reader.GetFieldValue<DateTime>(2);
        }
        return result;
    }

    /// <summary>Tables in <c>public</c> other than the platform's own (<see cref="PlatformTables.All"/>).</summary>
    public static async Task<IReadOnlyList<string>> OtherPublicTablesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> ALL(@ours) ORDER BY tablename", connection);
        command.Parameters.AddWithValue("ours", PlatformTables.All.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tables = new List<string>();
        while (await reader.ReadAsync(ct))
            tables.Add(reader.GetString(0));
        return tables;
    }

    public static async Task WriteLogAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MigrationInfo migration,
        string direction, TimeSpan elapsed, int statements, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO "{LogTable}" ("migrationId", "direction", "durationMs", "statementCount", "clientHost", "productVersion")
            VALUES (@id, @direction, @ms, @statements, @host, @version)
            """, connection, transaction);
        command.Parameters.AddWithValue("id", migration.Id);
        command.Parameters.AddWithValue("direction", direction);
        command.Parameters.AddWithValue("ms", (int)Math.Min(int.MaxValue, elapsed.TotalMilliseconds));
        command.Parameters.AddWithValue("statements", statements);
        command.Parameters.AddWithValue("host", Environment.MachineName);
        command.Parameters.AddWithValue("version", typeof(MigrationJournal).Assembly.GetName().Version?.ToString() ?? "?");
        await command.ExecuteNonQueryAsync(ct);
    }
}
