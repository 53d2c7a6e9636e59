using Npgsql;

namespace Clearway.Data.Schema;

/// <summary>Rows in one of the schema's tables or materialized views (null when it does not exist).</summary>
public sealed record TableRowCount(string Name, bool IsView, long? Rows);

/// <summary>Counts the rows of the 28 tables and the 2 materialized views, in manifest order.</summary>
public static class TableRowCounts
{
    /// <summary>One exact <c>count(*)</c> per table and view that exists; missing ones have <c>Rows = null</c>.</summary>
    public static async Task<IReadOnlyList<TableRowCount>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var names = SchemaManifest.Tables.Select(t => (t.Name, IsView: false))
            .Concat(SchemaManifest.Views.Select(v => (v.Name, IsView: true)))
            .ToList();
        var result = new List<TableRowCount>(names.Count);
        foreach (var (name, isView) in names)
        {
            if (!await PostgresCatalog.RelationExistsAsync(connection, name, cancellationToken))
            {
                result.Add(new TableRowCount(name, isView, null));
                continue;
            }
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM public.{PostgresIdentifier.Quote(name)}", connection);
            try
            {
                result.Add(new TableRowCount(name, isView, (long)(await count.ExecuteScalarAsync(cancellationToken))!));
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState)
            {
                result.Add(new TableRowCount(name, isView, null)); // a materialized view that was never populated
            }
        }
        return result;
    }

    /// <summary>Opens a connection and counts.</summary>
    public static async Task<IReadOnlyList<TableRowCount>> ReadAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await ReadAsync(connection, cancellationToken);
    }
}
