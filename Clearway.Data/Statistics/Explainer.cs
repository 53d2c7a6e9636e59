using Npgsql;

namespace Clearway.Data.Statistics;

/// <summary>
/// <c>EXPLAIN (ANALYZE, BUFFERS)</c> of one statement, run inside a transaction that is always rolled back: the plan and
/// what it really did, and a write being explained changes nothing.
/// </summary>
public static class Explainer
{
    /// <summary>The plan's lines.</summary>
    /// <exception cref="ExplainRefusedException">The text is empty or holds more than one statement (a second could commit).</exception>
    public static async Task<IReadOnlyList<string>> ExplainAsync(string connectionString, string sql, CancellationToken cancellationToken = default)
    {
        var statement = CheckStatement(sql);

        await using var connection = new NpgsqlConnection(QueryStatistics.Unpooled(connectionString));
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var plan = new List<string>();
        try
        {
#pragma warning disable CA2100 // Explaining the operator's own statement is the point; it runs in a transaction rolled back below.
            await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + statement, connection, transaction) { CommandTimeout = 0 };
#pragma warning restore CA2100
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                plan.Add(reader.GetString(0));
        }
        finally
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        return plan;
    }

    /// <summary>The one statement <paramref name="sql"/> holds (a final ';' dropped), checked before anything connects.</summary>
    /// <exception cref="ExplainRefusedException">It is empty or holds more than one statement.</exception>
    public static string CheckStatement(string? sql)
    {
        var statement = (sql ?? "").Trim().TrimEnd(';').Trim();
        if (statement.Length == 0)
            throw new ExplainRefusedException("the statement to explain is empty", "give one SQL statement, quoted");
        // A ';' inside a literal is refused too: telling it from a second statement would take a SQL parser, and quoting it differently is easy.
        if (statement.Contains(';', StringComparison.Ordinal))
            throw new ExplainRefusedException("explain takes one statement, and this one holds a ';': a second statement could commit what the first did",
                "explain the statements one at a time");
        return statement;
    }
}

/// <summary>A statement <see cref="Explainer"/> will not run (exit 2): nothing was run.</summary>
public sealed class ExplainRefusedException(string message, string hint) : Exception(message), IClearwayFailure
{
    public int ExitCode => ExitCodes.Refused;

    public string? Hint { get; } = hint;
}
