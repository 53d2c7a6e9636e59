using Clearway.Data.Schema;
using Npgsql;

namespace Clearway.States;

/// <summary>One database of the store as the catalog shows it: its name, label and size.</summary>
public sealed record StoredState(string Database, StateLabel Label, long Bytes);

/// <summary>Reads and writes the store's databases in <c>pg_database</c>: their labels and sizes.</summary>
internal static class StateCatalog
{
    /// <summary>Every database whose name starts with <paramref name="prefix"/>, with its label (if it has one) and size.</summary>
    public static async Task<IReadOnlyList<(string Database, StateLabel? Label, long Bytes)>> ListAsync(NpgsqlConnection admin, string prefix, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT datname, shobj_description(oid, 'pg_database'), pg_database_size(oid)
            FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname
            """, admin);
        command.Parameters.AddWithValue(prefix);
        var rows = new List<(string, StateLabel?, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add((reader.GetString(0), StateLabel.Parse(reader.IsDBNull(1) ? null : reader.GetString(1)), reader.GetInt64(2)));
        return rows;
    }

    public static async Task<StateLabel?> ReadAsync(NpgsqlConnection admin, string database, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1", admin);
        command.Parameters.AddWithValue(database);
        return StateLabel.Parse(await command.ExecuteScalarAsync(ct) as string);
    }

    /// <summary>Takes a label off a database that no longer holds what it says (seeded in place since).</summary>
    public static Task ClearAsync(NpgsqlConnection admin, string database, CancellationToken ct) =>
        StateServer.ExecuteAsync(admin, $"COMMENT ON DATABASE {PostgresIdentifier.Quote(database)} IS NULL", ct);

    public static Task WriteAsync(NpgsqlConnection admin, string database, StateLabel label, CancellationToken ct) =>
        StateServer.ExecuteAsync(admin, $"COMMENT ON DATABASE {PostgresIdentifier.Quote(database)} IS {Literal(label.ToJson())}", ct);

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
