using System.Globalization;
using System.Text;
using Npgsql;

namespace Clearway.Data.Statistics;

/// <summary>One normalized statement as <c>pg_stat_statements</c> counts it.</summary>
public sealed record StatementStats(string Query, long Calls, double TotalMs, double MeanMs, double MaxMs, long Rows, double? HitRatio);

/// <summary>The headline numbers: how many statements are tracked for the database, and the slowest mean time.</summary>
public sealed record QueryHeadline(long Statements, double SlowestMeanMs);

/// <summary>The top statements of a database, or why there are none to show.</summary>
public sealed record QueryReport(string Database, IReadOnlyList<StatementStats> Statements, string? Unavailable)
{
    /// <summary>One line: how many statements, which is the most expensive.</summary>
    public string Summary => Unavailable ?? (Statements.Count == 0
        ? $"No statements recorded on \"{Database}\" since the statistics were reset."
        : string.Create(CultureInfo.InvariantCulture,
            $"Top {Statements.Count} statements on \"{Database}\" by total time; the most expensive ran {Statements[0].Calls:N0} time(s), {Statements[0].TotalMs:N1} ms in all."));

    /// <summary>The statements as a table (calls, total, mean and max time, rows, buffer hit ratio, the normalized text).</summary>
    public override string ToString()
    {
        if (Unavailable is not null)
            return Unavailable;
        var text = new StringBuilder().AppendLine(Summary).AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Calls",9} {"Total ms",11} {"Mean ms",9} {"Max ms",9} {"Rows",10} {"Hit %",6}  Statement");
        foreach (var s in Statements)
        {
            var hit = s.HitRatio is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) : "-";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{s.Calls,9:N0} {s.TotalMs,11:N1} {s.MeanMs,9:N2} {s.MaxMs,9:N2} {s.Rows,10:N0} {hit,6}  {OneLine(s.Query)}");
        }
        return text.ToString();
    }

    private static string OneLine(string query)
    {
        var line = string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 160 ? line : line[..157] + "...";
    }
}

/// <summary>
/// The statements a database ran, from <c>pg_stat_statements</c>: loaded on every server Clearway starts (container,
/// local mode, <c>clearway up</c>, the test servers). Its view is created in the server's maintenance database (it
/// counts every database's statements), so the schema of <c>clearway</c> and of every clone stays exactly the manifest's.
/// On a server without the library, every answer says so in one line.
/// </summary>
public static class QueryStatistics
{
    /// <summary>The <paramref name="top"/> statements of the database <paramref name="connectionString"/> names, by total time.</summary>
    public static async Task<QueryReport> TopAsync(string connectionString, int top, CancellationToken cancellationToken = default)
    {
        var database = ClearwayConnectionString.Parse(connectionString).Database!;
        await using var maintenance = await OpenMaintenanceAsync(connectionString, cancellationToken);
        if (await WhyUnavailableAsync(maintenance, cancellationToken) is { } why)
            return new QueryReport(database, [], why);
        await using var command = new NpgsqlCommand("""
            SELECT query, calls, total_exec_time, mean_exec_time, max_exec_time, rows,
                   CASE WHEN shared_blks_hit + shared_blks_read > 0 THEN shared_blks_hit::float8 / (shared_blks_hit + shared_blks_read) END
            FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)
            ORDER BY total_exec_time DESC
            LIMIT $2
            """, maintenance);
        command.Parameters.AddWithValue(database);
        command.Parameters.AddWithValue((long)top);
        var statements = new List<StatementStats>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            statements.Add(new StatementStats(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4),
                reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetDouble(6)));
        return new QueryReport(database, statements, null);
    }

    /// <summary>How many statements are tracked for the database and the slowest mean time; null when unavailable.</summary>
    public static async Task<QueryHeadline?> HeadlineAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var database = ClearwayConnectionString.Parse(connectionString).Database!;
        await using var maintenance = await OpenMaintenanceAsync(connectionString, cancellationToken);
        if (await WhyUnavailableAsync(maintenance, cancellationToken) is not null)
            return null;
        await using var command = new NpgsqlCommand("""
            SELECT count(*), coalesce(max(mean_exec_time), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)
            """, maintenance);
        command.Parameters.AddWithValue(database);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueryHeadline(reader.GetInt64(0), reader.GetDouble(1));
    }

    /// <summary>Starts the counting afresh for the database: its statements (when the library is loaded) and its table and index counters.</summary>
    /// <returns>What was reset, in one line.</returns>
    public static async Task<string> ResetAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var database = ClearwayConnectionString.Parse(connectionString).Database!;
        await using (var connection = new NpgsqlConnection(Unpooled(connectionString)))
        {
            await connection.OpenAsync(cancellationToken);
            await using var indexes = new NpgsqlCommand("SELECT pg_stat_reset()", connection);
            await indexes.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var maintenance = await OpenMaintenanceAsync(connectionString, cancellationToken);
        if (await WhyUnavailableAsync(maintenance, cancellationToken) is { } why)
            return $"Reset the index and table counters of \"{database}\". {why}";
        // This database's statements only (user 0 and query 0: all of them): another database's stay counted.
        await using var statements = new NpgsqlCommand("SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = $1), 0)", maintenance);
        statements.Parameters.AddWithValue(database);
        await statements.ExecuteNonQueryAsync(cancellationToken);
        return $"Reset the statement statistics and the index and table counters of \"{database}\".";
    }

    /// <summary>Null when the view can be read (created on first use), else the one line saying why not and what still works.</summary>
    private static async Task<string?> WhyUnavailableAsync(NpgsqlConnection maintenance, CancellationToken ct)
    {
        await using (var loaded = new NpgsqlCommand("SELECT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))", maintenance))
        {
            if (await loaded.ExecuteScalarAsync(ct) is not true)
                return "Query statistics are not available on this server: pg_stat_statements is not loaded (shared_preload_libraries), which only its administrator can change; index usage works (`clearway indexes`).";
        }
        try
        {
            await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", maintenance);
            await create.ExecuteNonQueryAsync(ct);
            return null;
        }
        catch (PostgresException e)
        {
            return $"Query statistics are not available on this server: {e.MessageText} (the pg_stat_statements view is made in its maintenance database \"postgres\"); index usage works (`clearway indexes`).";
        }
    }

    private static async Task<NpgsqlConnection> OpenMaintenanceAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Unpooled(connectionString)) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    internal static string Unpooled(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
