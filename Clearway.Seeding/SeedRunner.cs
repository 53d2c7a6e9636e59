using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Clearway.Data;
using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Generation;
using Clearway.Seeding.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Clearway.Seeding;

/// <summary>
/// Seeds a migrated Clearway database: plan → generate in FK order → binary COPY, all in one transaction →
/// restore deferred indexes and keys → refresh the materialized views → write the seed marker → commit.
/// Re-running the same options is a no-op.
/// </summary>
public sealed class SeedRunner
{
    /// <summary>Bump whenever the generated data changes for the same options (it is part of the fingerprint).</summary>
    public const string SeederVersion = "2";

    /// <summary>The seed marker table (platform tables start with <c>__</c>).</summary>
    public const string MarkerTable = PlatformTables.SeedMarker;

    private readonly ILogger _logger;

    public SeedRunner(ILogger<SeedRunner> logger) => _logger = logger;

    public SeedRunner(ILoggerFactory loggerFactory) => _logger = loggerFactory.CreateLogger<SeedRunner>();

    public SeedRunner() : this(NullLoggerFactory.Instance) { }

    /// <summary>Rows per batch handed from the generator to the COPY writer.</summary>
    public int BatchSize { get; init; } = 2048;

    /// <summary>Batches that may wait between generator and writer (bounds memory).</summary>
    public int ChannelCapacity { get; init; } = 8;

    /// <summary>
    /// Tables planned to receive at least this many rows are loaded with their plain indexes and foreign keys
    /// dropped and restored afterwards in the same transaction (<see cref="BulkLoadDeferral"/>); below it,
    /// dropping and rebuilding costs more than row-by-row maintenance (measured: docs/seeding.md).
    /// </summary>
    public long DeferKeysFromRows { get; init; } = DefaultDeferKeysFromRows;

    /// <summary>The measured crossover of <see cref="DeferKeysFromRows"/>.</summary>
    public const long DefaultDeferKeysFromRows = 10_000;

    /// <summary>Refuses (throws <see cref="SeedRefusedException"/>) when the host environment is Production.</summary>
    public static void EnsureNotProduction(string? environmentName)
    {
        if (string.Equals(environmentName, "Production", StringComparison.OrdinalIgnoreCase))
            throw new SeedRefusedException(
                "refusing to seed: the environment is Production (seed data is for development and tests; set DOTNET_ENVIRONMENT=Development)");
    }

    /// <summary>
    /// Empties whichever of the 28 tables exist and removes the seed marker, in one transaction, so that the marker
    /// never outlives the rows it describes (what <c>clearway reset</c> does before dropping the schema).
    /// </summary>
    public static async Task ClearAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SeedSql.ExecuteAsync(connection, AdvisoryLocks.RewriteTablesSql, cancellationToken); // not under a running seed
        var existing = new List<string>();
        foreach (var table in SeedPlan.TableOrder)
            if (await PostgresCatalog.RelationExistsAsync(connection, table, cancellationToken))
                existing.Add(table);
        if (existing.Count > 0)
            await SeedSql.ExecuteAsync(connection, $"TRUNCATE {string.Join(", ", existing.Select(t => "public." + PostgresIdentifier.Quote(t)))}", cancellationToken);
        await SeedMarker.RemoveAsync(connection, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Seeds the database, or skips when it already holds this exact seed.</summary>
    /// <exception cref="SeedInputException">The options are invalid.</exception>
    /// <exception cref="SeedRefusedException">Not migrated, seeded with another plan (without Reset), or holding foreign rows.</exception>
    /// <exception cref="SeedConnectionLostException">The server closed the connection; nothing was written.</exception>
    public Task<SeedResult> RunAsync(string connectionString, SeedOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(connectionString, options, progress: null, cancellationToken);

    /// <inheritdoc cref="RunAsync(string, SeedOptions, CancellationToken)"/>
    /// <param name="progress">Told each table's result as soon as it is written (inside the open transaction).</param>
    public async Task<SeedResult> RunAsync(string connectionString, SeedOptions options, IProgress<SeedTableResult>? progress,
        CancellationToken cancellationToken)
    {
        // No command timeout: a COPY of a million rows, an index build or a key validation takes as long as it takes.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 };
        await using var dataSource = ClearwayNpgsql.CreateDataSource(builder.ConnectionString);
        return await RunAsync(dataSource, options, progress, cancellationToken);
    }

    /// <inheritdoc cref="RunAsync(string, SeedOptions, IProgress{SeedTableResult}, CancellationToken)"/>
    /// <param name="dataSource">With the Clearway enum mappings (<see cref="ClearwayNpgsql.CreateDataSource"/>); every
    /// statement of the seed runs without a command timeout whatever its connection string says.</param>
    public async Task<SeedResult> RunAsync(NpgsqlDataSource dataSource, SeedOptions options, IProgress<SeedTableResult>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var total = Stopwatch.StartNew();
        var plan = SeedPlan.For(options.Profile, options.Scale);
        SeedLog.Plan(_logger, options.Fingerprint, options.Canonical, plan);

        using var activity = SeedTelemetry.ActivitySource.StartActivity("seed");
        activity?.SetTag("seed.profile", SeedOptions.ProfileName(options.Profile));
        activity?.SetTag("seed.seed", options.Seed);
        activity?.SetTag("seed.scale", options.Scale);
        activity?.SetTag("seed.as_of", options.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        activity?.SetTag("seed.fingerprint", options.Fingerprint);

        var step = new Step();
        NpgsqlConnection? connection = null;
        try
        {
            connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await SeedAsync(connection, options, plan, progress, step, total, activity, cancellationToken);
        }
        catch (Exception e) when (ConnectionLost(e, connection) is { } reason)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            throw new SeedConnectionLostException(
                $"the server closed the connection while {step.Doing}{(reason.Length > 0 ? $" ({reason})" : "")}; the seed transaction was rolled back, nothing was written", e);
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    private async Task<SeedResult> SeedAsync(NpgsqlConnection connection, SeedOptions options, SeedPlan plan,
        IProgress<SeedTableResult>? progress, Step step, Stopwatch total, Activity? activity, CancellationToken cancellationToken)
    {
        step.Doing = "checking the schema";
        var pending = await ClearwayMigrator.PendingAsync(connection, cancellationToken);
        if (pending.Count > 0)
            throw new SeedRefusedException(
                $"refusing to seed: the schema is not migrated (missing migration {pending[0].Id}" +
                (pending.Count > 1 ? $" and {pending.Count - 1} more" : "") + "); run the migration service first");

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        step.Doing = "waiting for another seeder";
        await SeedSql.ExecuteAsync(connection, AdvisoryLocks.RewriteTablesSql, cancellationToken);
        step.Doing = "reading the seed marker";
        var marker = await SeedMarker.ReadRowAsync(connection, cancellationToken);
        var nonEmpty = await NonEmptyTablesAsync(connection, cancellationToken);

        if (marker is not null && nonEmpty.Count == 0)
        {
            // The marker outlived its rows (the tables were emptied or dropped and migrated again): there is
            // nothing to protect and nothing seeded, so seed as into a fresh database.
            SeedLog.StaleMarker(_logger, marker.Fingerprint, marker.Canonical);
            marker = null;
        }

        var skip = marker switch
        {
            { } same when same.Fingerprint == options.Fingerprint && !options.Reset =>
                $"already seeded with this plan (fingerprint {same.Fingerprint}, {same.Canonical}); nothing to do",
            // As-of left to default (today): the same recipe seeded on another day is this seed, only dated then.
            { } sameRecipe when options.AsOfIsDefault && !options.Reset && sameRecipe.Canonical.StartsWith(options.Recipe + ";as-of=", StringComparison.Ordinal) =>
                $"already seeded with this recipe as of another day ({sameRecipe.Canonical}); nothing to do (pass --as-of to choose the date, with --reset to replace it)",
            { } existing when options.KeepExisting && !options.Reset =>
                $"kept the existing seed ({existing.Canonical}, fingerprint {existing.Fingerprint}); pass --reset to replace it",
            _ => null,
        };
        if (skip is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            SeedLog.Skipped(_logger, skip);
            activity?.SetTag("seed.skipped", true);
            return new SeedResult { Skipped = true, Options = options, Plan = plan, Tables = [], Elapsed = total.Elapsed, Message = skip };
        }

        if (marker is { } other && !options.Reset)
            throw new SeedRefusedException(
                $"database was seeded with a different plan (fingerprint {other.Fingerprint}, {other.Canonical}); pass --reset to replace it");

        if (marker is null)
        {
            // Not seeded by us: only an entirely empty set of tables may be written to (with or without --reset).
            if (nonEmpty.Count > 0)
            {
                var table = nonEmpty[0];
                await using var count = SeedSql.Command(connection, $"SELECT count(*) FROM public.{PostgresIdentifier.Quote(table)}");
                var rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
                throw new SeedRefusedException(
                    $"refusing to seed: table \"{table}\" holds {rows:N0} rows the seeder did not write (no {MarkerTable} marker); nothing was changed");
            }
        }
        else
        {
            SeedLog.Reset(_logger, marker.Fingerprint, marker.Canonical);
            step.Doing = "emptying the 28 tables";
            await ClearwayTables.TruncateAllAsync(connection, cancellationToken);
        }

        step.Doing = "dropping the indexes and foreign keys of the largest tables";
        var deferred = plan.Tables.Where(t => t.Rows >= DeferKeysFromRows).Select(t => t.Name).ToArray();
        var deferral = await BulkLoadDeferral.DropAsync(connection, deferred, cancellationToken);
        var world = new SeedWorld(options, plan);
        var tables = await WriteTablesAsync(connection, world, progress, step, cancellationToken);
        if (!deferral.IsEmpty)
        {
            step.Doing = $"rebuilding {deferral.IndexCount} indexes and validating {deferral.ForeignKeyCount} foreign keys";
            var rebuild = Stopwatch.StartNew();
            using (SeedTelemetry.ActivitySource.StartActivity("restore indexes and foreign keys"))
                await deferral.RestoreAsync(connection, cancellationToken);
            SeedLog.KeysRestored(_logger, deferral.IndexCount, deferral.ForeignKeyCount, deferred.Length, rebuild.ElapsedMilliseconds);
        }

        step.Doing = "refreshing the materialized views";
        var refresh = Stopwatch.StartNew();
        using (SeedTelemetry.ActivitySource.StartActivity("refresh materialized views"))
            await MaterializedViews.RefreshAsync(connection, concurrently: false, cancellationToken);
        SeedLog.ViewsRefreshed(_logger, string.Join(", ", MaterializedViews.All), refresh.ElapsedMilliseconds);

        step.Doing = "writing the seed marker";
        await SeedMarker.WriteAsync(connection, options, plan, tables, total.Elapsed, cancellationToken);
        step.Doing = "committing";
        await transaction.CommitAsync(cancellationToken);

        var result = new SeedResult
        {
            Skipped = false,
            Options = options,
            Plan = plan,
            Tables = tables,
            Elapsed = total.Elapsed,
            Message = string.Create(CultureInfo.InvariantCulture,
                $"seeded {tables.Sum(t => t.Rows):N0} rows in 28 tables in {total.Elapsed.TotalSeconds:N1} s (fingerprint {options.Fingerprint})"),
        };
        activity?.SetTag("seed.rows", result.TotalRows);
        SeedLog.Summary(_logger, options.Fingerprint, options.Canonical, result.FormatSummary());
        SeedLog.Done(_logger, result.TotalRows, Math.Round(total.Elapsed.TotalSeconds, 1), (long)result.RowsPerSecond);
        return result;
    }

    /// <summary>What the seed is doing, for the message when the connection is lost.</summary>
    private sealed class Step
    {
        public string Doing { get; set; } = "connecting";
    }

    /// <summary>
    /// The server's reason when it gave one ("" when the connection just ended, as when the server or its container
    /// dies), or null when <paramref name="e"/> is not a lost connection.
    /// </summary>
    private static string? ConnectionLost(Exception e, NpgsqlConnection? connection) => e switch
    {
        PostgresException p when p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown => p.MessageText,
        PostgresException => null,
        NpgsqlException when connection?.FullState.HasFlag(System.Data.ConnectionState.Broken) == true
                             || e.InnerException is IOException or System.Net.Sockets.SocketException => "",
        _ => null,
    };

    /// <summary>The tables of the 28 that hold at least one row, in write order (one statement).</summary>
    private static async Task<IReadOnlyList<string>> NonEmptyTablesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var sql = string.Join(" UNION ALL ", SeedPlan.TableOrder.Select((t, i) =>
            $"SELECT {i} AS i WHERE EXISTS (SELECT 1 FROM public.{PostgresIdentifier.Quote(t)})"));
        var result = new List<string>();
        await using var command = SeedSql.Command(connection, $"SELECT i FROM ({sql}) s ORDER BY i");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result.Add(SeedPlan.TableOrder[reader.GetInt32(0)]);
        return result;
    }

    /// <summary>Marks the end of a table in the stream (so empty tables and table boundaries are explicit).</summary>
    private sealed class TableEnd(TableSpec table) : RowBatch(table, 0)
    {
        public override void WriteTo(NpgsqlBinaryImporter importer) { }
    }

    /// <summary>
    /// Generator and writer run concurrently: a producer task walks the tables in order and pushes batches into
    /// a bounded channel; this method drains it into one binary COPY per table. Memory is bounded by the
    /// channel (capacity × batch size rows), whatever the profile.
    /// </summary>
    private async Task<IReadOnlyList<SeedTableResult>> WriteTablesAsync(NpgsqlConnection connection, SeedWorld world,
        IProgress<SeedTableResult>? progress, Step step, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<RowBatch>(new BoundedChannelOptions(ChannelCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var table in SeedTables.All)
                {
                    foreach (var batch in table.Batches(world, BatchSize))
                        await channel.Writer.WriteAsync(batch, stop.Token);
                    await channel.Writer.WriteAsync(new TableEnd(table), stop.Token);
                }
                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, stop.Token);

        var results = new List<SeedTableResult>(SeedTables.All.Count);
        NpgsqlBinaryImporter? importer = null;
        Activity? span = null;
        var clock = Stopwatch.StartNew();
        long rows = 0;
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(ct))
            {
                var table = batch.Table;
                span ??= SeedTelemetry.ActivitySource.StartActivity($"seed {table.Name}");
                if (batch is TableEnd)
                {
                    step.Doing = $"seeding table {table.Name}";
                    var written = importer is null ? 0UL : await importer.CompleteAsync(ct);
                    if (importer is not null) await importer.DisposeAsync();
                    importer = null;
                    if ((long)written != rows)
                        throw new InvalidOperationException($"COPY into \"{table.Name}\" reported {written} rows, {rows} were sent");

                    var elapsed = clock.Elapsed;
                    var result = new SeedTableResult(table.Name, rows, elapsed);
                    results.Add(result);
                    var tags = new KeyValuePair<string, object?>("db.table", table.Name);
                    SeedTelemetry.RowsWritten.Add(rows, tags);
                    SeedTelemetry.TableDuration.Record(elapsed.TotalSeconds, tags);
                    span?.SetTag("db.table", table.Name);
                    span?.SetTag("seed.rows", rows);
                    span?.SetTag("seed.duration_ms", (long)elapsed.TotalMilliseconds);
                    span?.Dispose();
                    span = null;
                    SeedLog.TableSeeded(_logger, table.Name, rows, (long)elapsed.TotalMilliseconds);
                    progress?.Report(result);
                    rows = 0;
                    clock.Restart();
                    continue;
                }

                if (importer is null)
                {
                    step.Doing = $"seeding table {table.Name}";
                    importer = await connection.BeginBinaryImportAsync(table.CopyCommand, ct);
                    importer.Timeout = TimeSpan.Zero; // no timeout while the server completes the COPY
                }
                ct.ThrowIfCancellationRequested();
                batch.WriteTo(importer);
                rows += batch.Count;
            }
        }
        catch
        {
            await stop.CancelAsync();
            span?.SetStatus(ActivityStatusCode.Error);
            throw;
        }
        finally
        {
            span?.Dispose();
            if (importer is not null)
            {
                try { await importer.DisposeAsync(); }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or OperationCanceledException) { }
            }
            try { await producer; }
            catch (OperationCanceledException) { }
        }
        return results;
    }
}
