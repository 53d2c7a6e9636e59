using Npgsql;

namespace Clearway.Tests.Infrastructure;

/// <summary>The first column of a one-parameter query, as text, on a connection of its own.</summary>
internal static class TextColumn
{
    public static async Task<List<string>> ReadAsync(string connectionString, string sql, object parameter, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(parameter);
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            values.Add(reader.GetString(0));
        return values;
    }
}
