using System.Diagnostics.Metrics;
using Clearway.Data;
using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Clearway.Data.Views;
using Clearway.Seeding;
using Clearway.Testing.Xunit;
using Clearway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Clearway.Tests.Views;

/// <summary>The one refresher of both views, as the views worker, `clearway refresh-views` and the dashboard use it.</summary>
public sealed class ViewRefresherTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_refresh_reports_the_rows_of_both_views_and_the_metrics_record_it()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        using var metrics = new MetricsRecorder();
        var refresher = new ViewRefresher(dataSource, NullLogger<ViewRefresher>.Instance);

        var refresh = await refresher.RefreshAsync(Ct);

        Assert.True(refresh.Concurrently);
        Assert.Equal(MaterializedViews.All, refresh.Views.Select(v => v.View));
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM monthly_call_summary", connection);
        Assert.Equal((long)(await count.ExecuteScalarAsync(Ct))!, refresh.Views[0].Rows);
        Assert.Equal(1, refresher.Refreshes);
        Assert.NotNull(refresher.LastSuccess);
        Assert.Contains(metrics.Durations, d => d > 0);
        Assert.True(metrics.LastRefresh() >= refresher.LastSuccess!.Value.ToUnixTimeMilliseconds() / 1000.0 - 1);
    }

    [Fact]
    public async Task On_a_schedule_the_refresh_count_and_the_last_refresh_metric_advance()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        using var metrics = new MetricsRecorder();
        var refresher = new ViewRefresher(dataSource, NullLogger<ViewRefresher>.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(Limit);
        var seen = new List<ViewRefresh>();
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var loop = refresher.RunAsync(TimeSpan.FromSeconds(1), stop.Token, new Recorder(r =>
        {
            lock (seen)
            {
                seen.Add(r);
                if (seen.Count == 3)
                    third.TrySetResult();
            }
        }));
        await third.Task.WaitAsync(stop.Token);
        var gaugeAfterThree = metrics.LastRefresh();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);

        Assert.True(refresher.Refreshes >= 3);
        Assert.True(metrics.Durations.Count >= 3);
        Assert.True(gaugeAfterThree > metrics.FirstObserved, "the last-refresh gauge did not advance");
    }

    [Fact]
    public async Task A_failed_refresh_is_logged_and_the_loop_tries_again_at_the_next_tick()
    {
        await using var db = await ClearwayDatabase.CreateEmptyAsync();
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var drop = new NpgsqlCommand("DROP MATERIALIZED VIEW fund_performance_summary", connection);
            await drop.ExecuteNonQueryAsync(Ct);
        }
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var logger = new FailureCounter();
        var refresher = new ViewRefresher(dataSource, logger);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(Limit);

        var loop = refresher.RunAsync(TimeSpan.FromSeconds(1), stop.Token);
        await logger.SecondFailure.Task.WaitAsync(stop.Token);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);

        Assert.Equal(0, refresher.Refreshes);
        Assert.Null(refresher.Staleness);
        Assert.Contains("fund_performance_summary", logger.LastMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refresh_waits_for_a_seed_in_progress_instead_of_deadlocking_with_it()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var refresher = new ViewRefresher(dataSource, NullLogger<ViewRefresher>.Instance);

        await using var seed = await dataSource.OpenConnectionAsync(Ct);
        await using (var transaction = await seed.BeginTransactionAsync(Ct))
        {
            await using (var hold = new NpgsqlCommand(AdvisoryLocks.RewriteTablesSql, seed))
                await hold.ExecuteNonQueryAsync(Ct);

            var refresh = refresher.RefreshAsync(Ct);
            await ServerActivity.WaitUntilWaitingOnAdvisoryLockAsync(db.ConnectionString, "the refresh");
            Assert.False(refresh.IsCompleted);
            await transaction.CommitAsync(Ct);
            Assert.True((await refresh.WaitAsync(Limit, Ct)).Concurrently);
        }
    }

    [Fact]
    public async Task A_migration_step_waits_for_a_refresh_in_progress_instead_of_deadlocking_with_it()
    {
        // What the dashboard's Reset database met: the views worker refreshing while a Down drops the views.
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        var migrator = new ClearwayMigrator(new MigrationRun { ConnectionString = db.ConnectionString, EnvironmentName = "Development", Force = true });

        await using var refresh = new NpgsqlConnection(db.ConnectionString);
        await refresh.OpenAsync(Ct);
        await using (var transaction = await refresh.BeginTransactionAsync(Ct))
        {
            await using (var hold = new NpgsqlCommand(AdvisoryLocks.ReadForRefreshSql, refresh))
                await hold.ExecuteNonQueryAsync(Ct); // as a refresh holds it

            var rollback = migrator.RollbackAsync("Phase2CompleteSchema", Ct);
            await ServerActivity.WaitUntilWaitingOnAdvisoryLockAsync(db.ConnectionString, "the rollback");
            Assert.False(rollback.IsCompleted);
            await transaction.CommitAsync(Ct);
            Assert.Equal(["HardenIntegrity", "AddMaterializedViews"], (await rollback.WaitAsync(Limit, Ct)).Reverted.Select(r => r.Migration.Name));
        }
    }

    private sealed class Recorder(Action<ViewRefresh> report) : IProgress<ViewRefresh>
    {
        public void Report(ViewRefresh value) => report(value);
    }

    /// <summary>Counts the refresher's error log lines.</summary>
    private sealed class FailureCounter : ILogger<ViewRefresher>
    {
        private int _failures;

        public TaskCompletionSource SecondFailure { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string LastMessage { get; private set; } = "";


        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel != LogLevel.Error)
                return;
            LastMessage = formatter(state, exception);
            if (Interlocked.Increment(ref _failures) == 2)
                SecondFailure.TrySetResult();
        }
    }

    /// <summary>Listens to Clearway.Data's view instruments in this process.</summary>
    private sealed class MetricsRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<double> _durations = [];
        private double _lastRefresh;

        public MetricsRecorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DataTelemetry.Name && instrument.Name.StartsWith("clearway.views.", StringComparison.Ordinal))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
            {
                lock (_durations)
                {
                    if (instrument.Name == "clearway.views.refresh.duration")
                        _durations.Add(value);
                    else if (instrument.Name == "clearway.views.last_refresh")
                        _lastRefresh = value;
                }
            });
            _listener.Start();
            FirstObserved = LastRefresh();
        }

        /// <summary>The gauge's value when this recorder started (0: no refresh yet in this process).</summary>
        public double FirstObserved { get; }

        public IReadOnlyList<double> Durations
        {
            get { lock (_durations) return [.. _durations]; }
        }

        /// <summary>Reads the last-refresh gauge now.</summary>
        public double LastRefresh()
        {
            _listener.RecordObservableInstruments();
            lock (_durations)
                return _lastRefresh;
        }

        public void Dispose() => _listener.Dispose();
    }
}
