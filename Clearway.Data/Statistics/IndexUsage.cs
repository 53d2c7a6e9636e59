using System.Globalization;
using System.Text;
using Npgsql;

namespace Clearway.Data.Statistics;

/// <summary>An index no query has used since the counters were reset.</summary>
public sealed record UnusedIndex(string Table, string Index, long Bytes, bool EnforcesConstraint);

/// <summary>A foreign key whose referencing columns no index starts with (a delete of the parent scans the table).</summary>
public sealed record UnindexedForeignKey(string Table, string Constraint, string Columns);

/// <summary>What the indexes of a database did since the counters were reset.</summary>
public sealed record IndexReport(string Database, IReadOnlyList<UnusedIndex> Unused, IReadOnlyList<UnindexedForeignKey> UnindexedForeignKeys)
{
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"\"{Database}\": {Unused.Count(u => !u.EnforcesConstraint)} index(es) never scanned ({Unused.Where(u => !u.EnforcesConstraint).Sum(u => u.Bytes) / 1024.0 / 1024.0:0.0} MB), " +
        $"{Unused.Count(u => u.EnforcesConstraint)} more that only enforce a key, {UnindexedForeignKeys.Count} foreign key(s) without an index.");

    public override string ToString()
    {
        var text = new StringBuilder().AppendLine(Summary).AppendLine();
        text.AppendLine("Never scanned since the statistics were reset:");
        foreach (var index in Unused)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {index.Index,-56} on {index.Table,-26} {index.Bytes / 1024.0,10:N0} kB{(index.EnforcesConstraint ? "  (enforces a key: keep it)" : "")}");
        text.AppendLine().AppendLine("Foreign keys with no index on their referencing columns:");
        foreach (var key in UnindexedForeignKeys)
            text.AppendLine(CultureInfo.InvariantCulture, $"  {key.Constraint,-56} on {key.Table} ({key.Columns})");
        return text.ToString();
    }
}

/// <summary>The database's own counters (<c>pg_stat_user_indexes</c>, always there) read against its indexes and keys.</summary>
public static class IndexUsage
{
    public static async Task<IndexReport> ReadAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var database = ClearwayConnectionString.Parse(connectionString).Database!;
        await using var connection = new NpgsqlConnection(QueryStatistics.Unpooled(connectionString));
        await connection.OpenAsync(cancellationToken);
        var unused = new List<UnusedIndex>();
        await using (var command = new NpgsqlCommand("""
            SELECT s.relname, s.indexrelname, pg_relation_size(s.indexrelid), i.indisunique OR i.indisprimary
            FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
            WHERE s.schemaname = 'public' AND s.idx_scan = 0
            ORDER BY i.indisunique OR i.indisprimary, pg_relation_size(s.indexrelid) DESC, s.indexrelname
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                unused.Add(new UnusedIndex(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetBoolean(3)));
        }
        var foreignKeys = new List<UnindexedForeignKey>();
        await using (var command = new NpgsqlCommand("""
            SELECT rel.relname, c.conname, string_agg(a.attname, ', ' ORDER BY k.ord)
            FROM pg_constraint c
            JOIN pg_class rel ON rel.oid = c.conrelid
            CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
            WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
              AND NOT EXISTS (
                SELECT 1 FROM pg_index i
                WHERE i.indrelid = c.conrelid
                  AND ARRAY(SELECT unnest((i.indkey::int2[])[0:cardinality(c.conkey) - 1])) = c.conkey)
            GROUP BY rel.relname, c.conname
            ORDER BY 1, 2
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                foreignKeys.Add(new UnindexedForeignKey(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        return new IndexReport(database, unused, foreignKeys);
    }
}
