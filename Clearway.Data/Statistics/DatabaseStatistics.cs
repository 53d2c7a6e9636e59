namespace Clearway.Data.Statistics;

/// <summary>The statistics of one database, for a host's services: its top statements, its unused indexes, the reset.</summary>
/// <param name="connectionString">With its password: the statement statistics are read through the server's maintenance database.</param>
public sealed class DatabaseStatistics(string connectionString)
{
    /// <summary>How many statements the dashboard's command and <c>clearway queries</c> show unless told otherwise.</summary>
    public const int DefaultTop = 20;

    /// <summary>The most statements one answer lists: a report, not a dump.</summary>
    public const int MaxTop = 500;

    /// <summary>Null when <paramref name="top"/> can be asked for, else the one line saying what can.</summary>
    public static string? CheckTop(int top) =>
        top is >= 1 and <= MaxTop ? null : $"top must be a whole number from 1 to {MaxTop} (got {top}); leave it out for {DefaultTop}";

    public Task<QueryReport> TopAsync(int top, CancellationToken cancellationToken) => QueryStatistics.TopAsync(connectionString, top, cancellationToken);

    public Task<QueryHeadline?> HeadlineAsync(CancellationToken cancellationToken) => QueryStatistics.HeadlineAsync(connectionString, cancellationToken);

    public Task<string> ResetAsync(CancellationToken cancellationToken) => QueryStatistics.ResetAsync(connectionString, cancellationToken);

    public Task<IndexReport> IndexesAsync(CancellationToken cancellationToken) => IndexUsage.ReadAsync(connectionString, cancellationToken);
}
