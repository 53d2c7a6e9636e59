using Npgsql;

namespace Clearway.Tests.Shared;

/// <summary>
/// Known queries, a known number of times, on a seeded database, as the app would run them (parameters, so
/// pg_stat_statements keeps one normalized entry each). The user lookup goes through an index; nothing touches amounts.
/// </summary>
internal static class QueryBurst
{
    public const int UserLookups = 7;
    public const string UserLookup = """SELECT count(*) FROM "CapitalCall" WHERE "userId" = $1""";
    private static readonly string[] Statuses = ["COMPLETED", "FAILED", "PENDING"];
    public static readonly int StatusCounts = Statuses.Length;
    public const string StatusCount = """SELECT count(*) FROM "Payment" WHERE "status" = $1""";

    /// <summary>An index the burst never touches (no query filters or sorts on <c>amountDue</c>).</summary>
    public const string UntouchedIndex = "idx_capital_call_amount";

    /// <summary>Runs the burst; returns the indexes it scanned (flushed to the statistics before this returns).</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        // The lookups must use an index whatever the planner thinks of a tiny table.
        await new NpgsqlCommand("SET enable_seqscan = off", connection).ExecuteNonQueryAsync(ct);
        var users = new List<string>();
        await using (var reader = await new NpgsqlCommand("""SELECT "id" FROM "User" ORDER BY "id" LIMIT 7""", connection).ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                users.Add(reader.GetString(0));
        }
        for (var i = 0; i < UserLookups; i++)
            await new NpgsqlCommand(UserLookup, connection) { Parameters = { new() { Value = users[i % users.Count] } } }.ExecuteScalarAsync(ct);
        foreach (var status in Statuses)
            await new NpgsqlCommand(StatusCount, connection) { Parameters = { new() { Value = status } } }.ExecuteScalarAsync(ct);

        // Table and index counters reach the shared statistics when the session goes idle, at most once a second unless forced.
        await new NpgsqlCommand("SELECT pg_stat_force_next_flush()", connection).ExecuteNonQueryAsync(ct);
        await new NpgsqlCommand("SELECT 1", connection).ExecuteScalarAsync(ct);
        var scanned = new List<string>();
        await using (var reader = await new NpgsqlCommand("SELECT indexrelname FROM pg_stat_user_indexes WHERE idx_scan > 0 ORDER BY 1", connection).ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                scanned.Add(reader.GetString(0));
        }
        return scanned;
    }
}
