using Clearway.Data.Schema;
using Npgsql;

namespace Clearway.Seeding;

/// <summary>What the seed marker (<see cref="SeedRunner.MarkerTable"/>) says about the seed in a database.</summary>
public sealed record SeedMarker(string Fingerprint, string Canonical, DateTime SeededAtUtc)
{
    /// <summary>The marker, or null when the database was never seeded by <see cref="SeedRunner"/>.</summary>
    public static async Task<SeedMarker?> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!await PostgresCatalog.RelationExistsAsync(connection, SeedRunner.MarkerTable, cancellationToken))
            return null;
        await using var command = new NpgsqlCommand(
            $"SELECT \"fingerprint\", \"canonical\", \"seededAt\" FROM \"{SeedRunner.MarkerTable}\" WHERE \"id\" = 1", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SeedMarker(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTime>(2))
            : null;
    }

    /// <summary>Opens a connection and reads the marker.</summary>
    public static async Task<SeedMarker?> ReadAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await ReadAsync(connection, cancellationToken);
    }
}
