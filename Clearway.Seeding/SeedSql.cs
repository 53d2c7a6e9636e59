using Npgsql;

namespace Clearway.Seeding;

/// <summary>Statements of the seeding transaction: none has a fixed timeout (a large load takes as long as it takes; cancellation still stops it).</summary>
internal static class SeedSql
{
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql) => new(sql, connection) { CommandTimeout = 0 };
}
