using System.Diagnostics;
using Clearway.Data.Schema;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.Data.Views;

/// <summary>
/// Refreshes both materialized views, once or on a schedule, as the app's hourly job does: CONCURRENTLY, so readers are
/// never blocked (a view that was never populated cannot be refreshed concurrently: that first time, a plain refresh).
/// Every host (the views worker, <c>clearway refresh-views</c>, the dashboard command) refreshes through this class.
/// </summary>
public sealed partial class ViewRefresher
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private long _lastSuccessTicks;
    private int _refreshes;
    private string? _lastFailure;

    public ViewRefresher(NpgsqlDataSource dataSource, ILogger<ViewRefresher> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>When the last refresh succeeded; null before the first.</summary>
    public DateTimeOffset? LastSuccess => Interlocked.Read(ref _lastSuccessTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Successful refreshes so far.</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>Why the last refresh failed; null once one has succeeded since.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>How long ago the views were last refreshed (null: never, by this refresher).</summary>
    public TimeSpan? Staleness => LastSuccess is { } at ? _time.GetUtcNow() - at : null;

    /// <summary>Refreshes both views once: one span, one log line with duration and rows, the metrics.</summary>
    public async Task<ViewRefresh> RefreshAsync(CancellationToken cancellationToken = default)
    {
        using var activity = ViewTelemetry.Source.StartActivity("refresh materialized views");
        var clock = Stopwatch.StartNew();
        try
        {
            await using var connection = await OpenLiveConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Waits for a seed or a migration step in progress to commit (they hold the lock exclusively) rather than deadlocking with it.
            await using (var wait = new NpgsqlCommand(AdvisoryLocks.ReadForRefreshSql, connection) { CommandTimeout = 0 })
                await wait.ExecuteNonQueryAsync(cancellationToken);
            var concurrently = await RefreshBothAsync(connection, cancellationToken);
            var views = new List<ViewRows>(MaterializedViews.All.Count);
            foreach (var view in MaterializedViews.All)
            {
#pragma warning disable CA2100 // The view names are constants of this assembly.
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {PostgresIdentifier.Quote(view)}", connection);
#pragma warning restore CA2100
                views.Add(new ViewRows(view, (long)(await count.ExecuteScalarAsync(cancellationToken))!));
            }
            await transaction.CommitAsync(cancellationToken);
            var refresh = new ViewRefresh(views, clock.Elapsed, concurrently);

            var now = _time.GetUtcNow();
            Interlocked.Exchange(ref _lastSuccessTicks, now.UtcTicks);
            Volatile.Write(ref _lastFailure, null);
            ViewTelemetry.RecordSuccess(now);
            Interlocked.Increment(ref _refreshes);
            ViewTelemetry.Duration.Record(refresh.Elapsed.TotalSeconds);
            ViewTelemetry.Refreshes.Add(1, new KeyValuePair<string, object?>("outcome", "success"));
            activity?.SetTag("clearway.views.concurrently", concurrently);
            foreach (var view in views)
                activity?.SetTag($"clearway.views.{view.View}.rows", view.Rows);
            LogRefreshed(_logger, (long)refresh.Elapsed.TotalMilliseconds, views[0].Rows, views[1].Rows, concurrently);
            return refresh;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Volatile.Write(ref _lastFailure, e.Message);
            ViewTelemetry.Refreshes.Add(1, new KeyValuePair<string, object?>("outcome", "failure"));
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    /// <summary>
    /// Refreshes now, then every <paramref name="interval"/> until cancelled. A failed refresh is logged and tried again at
    /// the next tick; the loop itself never stops on one.
    /// </summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken, IProgress<ViewRefresh>? progress = null)
    {
        using var timer = new PeriodicTimer(interval, _time);
        do
        {
            try
            {
                var refresh = await RefreshAsync(cancellationToken);
                progress?.Report(refresh); // not inlined: ?. would skip evaluating the refresh itself when progress is null
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogRefreshFailed(_logger, e, RefreshInterval.Format(interval), e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>
    /// A connection that works. When the database was swapped (a reset or a restore put another one under its name), the
    /// pool's idle connections were ended by the server: they are dropped and a new one is opened, so the schedule goes
    /// on without a restart.
    /// </summary>
    private async Task<NpgsqlConnection> OpenLiveConnectionAsync(CancellationToken ct)
    {
        var connection = await _dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var probe = new NpgsqlCommand("SELECT 1", connection);
            await probe.ExecuteScalarAsync(ct);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException { IsTransient: true } or PostgresException { SqlState: PostgresErrorCodes.AdminShutdown } || connection.State != System.Data.ConnectionState.Open)
        {
            await connection.DisposeAsync();
            _dataSource.Clear();
            LogReconnected(_logger, e.Message);
            return await _dataSource.OpenConnectionAsync(ct);
        }
    }

    private static async Task<bool> RefreshBothAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using (var savepoint = new NpgsqlCommand("SAVEPOINT before_refresh", connection))
            await savepoint.ExecuteNonQueryAsync(ct);
        try
        {
            await MaterializedViews.RefreshAsync(connection, concurrently: true, ct);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState)
        {
            // The failed statement aborted the transaction: back to before it, then the plain refresh.
            await using (var rollback = new NpgsqlCommand("ROLLBACK TO SAVEPOINT before_refresh", connection))
                await rollback.ExecuteNonQueryAsync(ct);
            await MaterializedViews.RefreshAsync(connection, concurrently: false, ct);
            return false;
        }
    }

    [LoggerMessage(1, LogLevel.Information,
        "Refreshed materialized views in {ElapsedMs} ms: monthly_call_summary {MonthlyCallSummaryRows} rows, fund_performance_summary {FundPerformanceSummaryRows} rows (concurrently: {Concurrently})")]
    private static partial void LogRefreshed(ILogger logger, long elapsedMs, long monthlyCallSummaryRows, long fundPerformanceSummaryRows, bool concurrently);

    [LoggerMessage(3, LogLevel.Information, "The database's sessions were ended (it was swapped or restarted); reconnected: {Reason}")]
    private static partial void LogReconnected(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Error, "Refreshing the materialized views failed; next try in {Interval}: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string interval, string reason);
}
