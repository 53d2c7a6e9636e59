using Clearway.Data.Schema;
using Npgsql;

namespace Clearway.Seeding.Copy;

/// <summary>
/// The plain secondary indexes and the foreign keys of some tables, dropped before a bulk load and restored from
/// their own definitions (<c>pg_get_indexdef</c>, <c>pg_get_constraintdef</c>) afterwards, in the same
/// transaction. A sorted index build is several times faster than maintaining a dozen btrees row by row, and
/// re-adding a foreign key validates it with one join instead of one trigger call per row (queued until the COPY
/// completes). Primary keys and unique indexes stay in force; a row violating a foreign key makes the restore
/// fail, and with it the transaction.
/// </summary>
internal sealed class BulkLoadDeferral
{
    private readonly IReadOnlyList<string> _indexes;
    private readonly IReadOnlyList<(string Table, string Name, string Definition)> _foreignKeys;

    private BulkLoadDeferral(IReadOnlyList<string> indexes, IReadOnlyList<(string, string, string)> foreignKeys)
    {
        _indexes = indexes;
        _foreignKeys = foreignKeys;
    }

    public static BulkLoadDeferral None { get; } = new([], []);

    public int IndexCount => _indexes.Count;

    public int ForeignKeyCount => _foreignKeys.Count;

    public bool IsEmpty => IndexCount == 0 && ForeignKeyCount == 0;

    /// <summary>Drops the plain indexes and foreign keys of <paramref name="tables"/> (in schema public).</summary>
    public static async Task<BulkLoadDeferral> DropAsync(NpgsqlConnection connection, IReadOnlyCollection<string> tables, CancellationToken ct)
    {
        if (tables.Count == 0)
            return None;
        var names = tables.ToArray();

        var foreignKeys = new List<(string Table, string Name, string Definition)>();
        await using (var command = new NpgsqlCommand("""
            SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE c.contype = 'f' AND n.nspname = 'public' AND t.relname = ANY (@tables)
            ORDER BY t.relname, c.conname
            """, connection) { CommandTimeout = 0 })
        {
            command.Parameters.AddWithValue("tables", names);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) foreignKeys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        var indexes = new List<(string Name, string Definition)>();
        await using (var command = new NpgsqlCommand("""
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND t.relname = ANY (@tables) AND NOT x.indisunique AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
            ORDER BY t.relname, i.relname
            """, connection) { CommandTimeout = 0 })
        {
            command.Parameters.AddWithValue("tables", names);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) indexes.Add((reader.GetString(0), reader.GetString(1)));
        }

        foreach (var (table, name, _) in foreignKeys)
            await SeedSql.ExecuteAsync(connection, $"ALTER TABLE public.{PostgresIdentifier.Quote(table)} DROP CONSTRAINT {PostgresIdentifier.Quote(name)}", ct);
        foreach (var (name, _) in indexes)
            await SeedSql.ExecuteAsync(connection, $"DROP INDEX public.{PostgresIdentifier.Quote(name)}", ct);
        return new BulkLoadDeferral(indexes.Select(i => i.Definition).ToList(), foreignKeys);
    }

    /// <summary>Rebuilds the indexes, then re-adds (and so validates) the foreign keys.</summary>
    /// <exception cref="PostgresException">A row violates a foreign key (23503): the transaction is lost.</exception>
    public async Task RestoreAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        if (IsEmpty)
            return;
        // Sorts for the index builds and hashes for the validating joins stay in memory.
        await SeedSql.ExecuteAsync(connection, "SET LOCAL maintenance_work_mem = '256MB'", ct);
        await SeedSql.ExecuteAsync(connection, "SET LOCAL work_mem = '128MB'", ct);
        foreach (var definition in _indexes)
            await SeedSql.ExecuteAsync(connection, definition, ct);
        foreach (var (table, name, definition) in _foreignKeys)
            await SeedSql.ExecuteAsync(connection, $"ALTER TABLE public.{PostgresIdentifier.Quote(table)} ADD CONSTRAINT {PostgresIdentifier.Quote(name)} {definition}", ct);
    }
}
