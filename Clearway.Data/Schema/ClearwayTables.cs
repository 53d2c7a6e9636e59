using Npgsql;

namespace Clearway.Data.Schema;

/// <summary>Operations on the 28 tables of <see cref="SchemaManifest"/> as a whole.</summary>
public static class ClearwayTables
{
    /// <summary>Empties all 28 tables in one statement (foreign keys among them are satisfied by truncating them together).</summary>
    public static async Task TruncateAllAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(
            $"TRUNCATE {string.Join(", ", SchemaManifest.Tables.Select(t => PostgresIdentifier.Quote(t.Name)))}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
