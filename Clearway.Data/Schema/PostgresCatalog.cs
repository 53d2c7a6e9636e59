using Npgsql;

namespace Clearway.Data.Schema;

/// <summary>Questions about what exists in a database's <c>public</c> schema.</summary>
public static class PostgresCatalog
{
    /// <summary>True when a table, view or materialized view of that (case-sensitive) name exists in <c>public</c>.</summary>
    public static async Task<bool> RelationExistsAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
        command.Parameters.AddWithValue("name", "public." + PostgresIdentifier.Quote(name));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
