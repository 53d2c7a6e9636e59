using Npgsql;

namespace Clearway.Data.Schema;

/// <summary>The two analytics views and their refresh, the dev-time stand-in for the app's hourly cron.</summary>
public static class MaterializedViews
{
    public const string MonthlyCallSummary = "monthly_call_summary";
    public const string FundPerformanceSummary = "fund_performance_summary";

    public static IReadOnlyList<string> All { get; } = [MonthlyCallSummary, FundPerformanceSummary];

    /// <summary>
    /// Refreshes both views. CONCURRENTLY keeps them readable during the refresh; it needs the unique indexes
    /// AddMaterializedViews creates, and PostgreSQL refuses it on a view that was never populated.
    /// </summary>
    public static async Task RefreshAsync(NpgsqlConnection connection, bool concurrently = true, CancellationToken cancellationToken = default)
    {
        foreach (var view in All)
        {
            await using var command = new NpgsqlCommand(RefreshStatement(view, concurrently), connection);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The statement that refreshes one view (see <see cref="RefreshAsync"/> for CONCURRENTLY).</summary>
    public static string RefreshStatement(string view, bool concurrently) =>
        $"REFRESH MATERIALIZED VIEW {(concurrently ? "CONCURRENTLY " : "")}{view}";

    /// <summary>Opens a connection and refreshes both views concurrently.</summary>
    public static async Task RefreshConcurrentlyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await RefreshAsync(connection, concurrently: true, cancellationToken);
    }
}
