using Microsoft.Extensions.Logging;

namespace Clearway.Seeding;

/// <summary>The seeder's structured log messages (source-generated).</summary>
internal static partial class SeedLog
{
    [LoggerMessage(1, LogLevel.Information, "Seed plan {Fingerprint} ({Options}): {Plan}")]
    public static partial void Plan(ILogger logger, string fingerprint, string options, SeedPlan plan);

    [LoggerMessage(2, LogLevel.Information, "Database {Message}")]
    public static partial void Skipped(ILogger logger, string message);

    [LoggerMessage(3, LogLevel.Information, "Reset: emptying the 28 tables seeded as {Fingerprint} ({Canonical})")]
    public static partial void Reset(ILogger logger, string fingerprint, string canonical);

    [LoggerMessage(4, LogLevel.Information, "Refreshed materialized views {Views} in {ElapsedMs} ms")]
    public static partial void ViewsRefreshed(ILogger logger, string views, long elapsedMs);

    [LoggerMessage(5, LogLevel.Information, "Seed summary ({Fingerprint}, {Options}):\n{Summary}")]
    public static partial void Summary(ILogger logger, string fingerprint, string options, string summary);

    [LoggerMessage(6, LogLevel.Information, "Seeded {TotalRows} rows in {ElapsedSeconds} s ({RowsPerSecond} rows/s)")]
    public static partial void Done(ILogger logger, long totalRows, double elapsedSeconds, long rowsPerSecond);

    [LoggerMessage(7, LogLevel.Information, "Seeded table {Table}: {Rows} rows in {ElapsedMs} ms")]
    public static partial void TableSeeded(ILogger logger, string table, long rows, long elapsedMs);

    [LoggerMessage(8, LogLevel.Information, "Rebuilt {Indexes} secondary indexes and validated {ForeignKeys} foreign keys of the {Tables} largest tables in {ElapsedMs} ms")]
    public static partial void KeysRestored(ILogger logger, int indexes, int foreignKeys, int tables, long elapsedMs);

    [LoggerMessage(9, LogLevel.Warning, "The seed marker says {Fingerprint} ({Canonical}) but all 28 tables are empty: the marker outlived its rows; seeding afresh")]
    public static partial void StaleMarker(ILogger logger, string fingerprint, string canonical);
}
