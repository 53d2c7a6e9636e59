using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Clearway.Data;
using Clearway.Data.Schema;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Generation;
using Clearway.Seeding.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Clearway.Seeding.Fresh;

/// <summary>
/// Seeds a freshly migrated database that nobody else sees yet (a template being built), with everything a live
/// database's one-transaction seed cannot do: the tables load on several connections at once, each in a transaction of
/// its own that truncates it first, so its COPY can <c>FREEZE</c> the rows and, on a server with
/// <c>wal_level = minimal</c>, write no WAL for them; every index and key is dropped before and built after, in
/// parallel. The result is the same rows as <see cref="SeedRunner"/> writes. A failure leaves a half-loaded database:
/// the caller discards it (a template is only ever used once it is complete).
/// </summary>
public sealed partial class FreshLoader
{
    private const int BatchSize = 2048;

    private readonly string _connectionString;
    private readonly ILogger _logger;

    /// <param name="connectionString">The database: migrated, no rows, no other sessions.</param>
    /// <param name="parallelism">Connections loading and indexing at once; default: one per core.</param>
    public FreshLoader(string connectionString, ILogger<FreshLoader>? logger = null, int? parallelism = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // No command timeout: a COPY of a million rows or an index build takes as long as it takes.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0, Pooling = false }.ConnectionString;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Parallelism = Math.Max(1, parallelism ?? Environment.ProcessorCount);
    }

    public int Parallelism { get; }

    /// <summary>Loads the seed <paramref name="options"/> describe, builds the keys, refreshes the views, writes the marker.</summary>
    public async Task<SeedResult> LoadAsync(SeedOptions options, IProgress<SeedTableResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var total = Stopwatch.StartNew();
        var plan = SeedPlan.For(options.Profile, options.Scale);
        using var activity = SeedTelemetry.ActivitySource.StartActivity("seed fresh");
        activity?.SetTag("seed.fingerprint", options.Fingerprint);
        activity?.SetTag("seed.parallelism", Parallelism);

        await using var dataSource = ClearwayNpgsql.CreateDataSource(_connectionString);
        TableKeys keys;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            keys = await TableKeys.DropAsync(connection, SeedPlan.TableOrder, cancellationToken);

        var world = new SeedWorld(options, plan);
        var results = new ConcurrentDictionary<string, SeedTableResult>(StringComparer.Ordinal);
        // Largest first, so the last table to start is a small one and the connections finish together.
        var tables = SeedTables.All.OrderByDescending(t => t.PlannedRows(plan)).ToList();
        await InParallelAsync(tables, async (connection, table, ct) =>
        {
            var result = await LoadTableAsync(connection, world, table, ct);
            results[table.Name] = result;
            progress?.Report(result);
        }, dataSource, cancellationToken);

        // After the load, queues of work on every connection, costliest first, so the connections finish together: the
        // primary and unique keys (the foreign keys need them); the indexes beside the views' refreshes (which only read,
        // and need no index); the foreign keys validated beside each table's ANALYZE.
        var restore = Stopwatch.StartNew();
        using (SeedTelemetry.ActivitySource.StartActivity("build indexes and keys"))
        {
            await InParallelAsync(keys.Keys.OrderByDescending(k => plan.RowsOf(k.Table)).ToList(),
                (connection, key, ct) => SeedSql.ExecuteAsync(connection, key.Sql, ct), dataSource, cancellationToken);
            var views = MaterializedViews.All.Select(view => new PostLoadStep(view, ViewCost(plan), MaterializedViews.RefreshStatement(view, concurrently: false), IsView: true));
            var indexes = keys.Indexes.Select(index => new PostLoadStep(index.Table, plan.RowsOf(index.Table), index.Sql, IsView: false));
            await InParallelAsync(views.Concat(indexes).OrderByDescending(s => s.Cost).ToList(), RunStepAsync, dataSource, cancellationToken);
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                foreach (var foreignKey in keys.ForeignKeys)
                    await SeedSql.ExecuteAsync(connection, foreignKey.Sql, cancellationToken);
            }
            // Planner statistics travel with the template into every clone: the app's queries get real plans at once.
            var validations = keys.ForeignKeys.Select(k => new PostLoadStep(k.Table, plan.RowsOf(k.Table), TableKeys.Validate(k), IsView: false));
            var analyses = tables.Select(t => new PostLoadStep(t.Name, t.PlannedRows(plan), $"ANALYZE public.{PostgresIdentifier.Quote(t.Name)}", IsView: false));
            await InParallelAsync(validations.Concat(analyses).OrderByDescending(s => s.Cost).ToList(), RunStepAsync, dataSource, cancellationToken);
        }
        LogKeysBuilt(_logger, keys.Count, MaterializedViews.All.Count, Parallelism, restore.ElapsedMilliseconds);

        var ordered = SeedPlan.TableOrder.Select(t => results[t]).ToList();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            await SeedMarker.WriteAsync(connection, options, plan, ordered, total.Elapsed, cancellationToken);

        var result = new SeedResult
        {
            Outcome = SeedOutcome.Seeded,
            Options = options,
            Plan = plan,
            Tables = ordered,
            Elapsed = total.Elapsed,
            Message = string.Create(CultureInfo.InvariantCulture,
                $"seeded {ordered.Sum(t => t.Rows):N0} rows in 28 tables in {total.Elapsed.TotalSeconds:N1} s on {Parallelism} connections (fingerprint {options.Fingerprint})"),
        };
        activity?.SetTag("seed.rows", result.TotalRows);
        SeedLog.Done(_logger, result.TotalRows, Math.Round(total.Elapsed.TotalSeconds, 1), (long)result.RowsPerSecond);
        return result;
    }

    /// <summary>One table in its own transaction: truncated (so COPY may freeze its rows and skip the WAL), then copied.</summary>
    private async Task<SeedTableResult> LoadTableAsync(NpgsqlConnection connection, SeedWorld world, TableSpec table, CancellationToken ct)
    {
        using var span = SeedTelemetry.ActivitySource.StartActivity($"seed {table.Name}");
        var clock = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await SeedSql.ExecuteAsync(connection, $"TRUNCATE public.{PostgresIdentifier.Quote(table.Name)}", ct);
        ulong written;
        long rows = 0;
        await using (var importer = await connection.BeginBinaryImportAsync(table.FreezingCopyCommand, ct))
        {
            importer.Timeout = TimeSpan.Zero;
            foreach (var batch in table.Batches(world, BatchSize))
            {
                ct.ThrowIfCancellationRequested();
                batch.WriteTo(importer);
                rows += batch.Count;
            }
            written = await importer.CompleteAsync(ct);
        }
        await transaction.CommitAsync(ct);
        if ((long)written != rows)
            throw new InvalidOperationException($"COPY into \"{table.Name}\" reported {written} rows, {rows} were sent");

        var result = new SeedTableResult(table.Name, rows, clock.Elapsed);
        var tags = new KeyValuePair<string, object?>("db.table", table.Name);
        SeedTelemetry.RowsWritten.Add(rows, tags);
        SeedTelemetry.TableDuration.Record(clock.Elapsed.TotalSeconds, tags);
        span?.SetTag("db.table", table.Name);
        span?.SetTag("seed.rows", rows);
        SeedLog.TableSeeded(_logger, table.Name, rows, clock.ElapsedMilliseconds);
        return result;
    }

    /// <summary>A statement run after the load on one table, or a view's refresh; <see cref="Cost"/> orders the queue.</summary>
    private sealed record PostLoadStep(string Target, long Cost, string Sql, bool IsView);

    /// <summary>A view's refresh reads the largest tables of calls and payments, so it is queued as costly as they are.</summary>
    private static long ViewCost(SeedPlan plan) => plan.RowsOf("CapitalCall") + plan.RowsOf("Payment");

    private async Task RunStepAsync(NpgsqlConnection connection, PostLoadStep step, CancellationToken ct)
    {
        if (!step.IsView)
        {
            await SeedSql.ExecuteAsync(connection, step.Sql, ct);
            return;
        }
        var clock = Stopwatch.StartNew();
        using (SeedTelemetry.ActivitySource.StartActivity("refresh materialized views"))
            await SeedSql.ExecuteAsync(connection, step.Sql, ct);
        SeedLog.ViewsRefreshed(_logger, step.Target, clock.ElapsedMilliseconds);
    }

    /// <summary>Runs <paramref name="work"/> over <paramref name="items"/> on <see cref="Parallelism"/> connections; the first failure stops the rest.</summary>
    private async Task InParallelAsync<T>(IReadOnlyList<T> items, Func<NpgsqlConnection, T, CancellationToken, Task> work, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var queue = new ConcurrentQueue<T>(items);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var workers = Enumerable.Range(0, Math.Min(Parallelism, Math.Max(1, items.Count))).Select(_ => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(failed.Token);
            // Index builds sort in memory; our own connections are the parallelism, not the server's workers.
            await SeedSql.ExecuteAsync(connection, "SET maintenance_work_mem = '256MB'; SET max_parallel_maintenance_workers = 0", failed.Token);
            try
            {
                while (queue.TryDequeue(out var item))
                    await work(connection, item, failed.Token);
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }, failed.Token)).ToList();
        try
        {
            await Task.WhenAll(workers);
        }
        catch when (workers.FirstOrDefault(w => w.IsFaulted && w.Exception!.InnerException is not OperationCanceledException) is { } first)
        {
            // The failure that stopped the others, not the cancellations it caused.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first.Exception!.InnerException!);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Built {Count} indexes and keys and refreshed {Views} views on {Connections} connections in {ElapsedMs} ms")]
    private static partial void LogKeysBuilt(ILogger logger, int count, int views, int connections, long elapsedMs);
}
