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

    /// <summary>Rows per batch handed from the generator to the COPY writer.</summary>
    private const int BatchSize = 2048;

    /// <summary>Batches that may wait between generator and writer (bounds memory).</summary>
    private const int ChannelCapacity = 8;

    /// <summary>
    /// Tables planned to receive at least this many rows are loaded with their plain indexes and foreign keys
    /// dropped and restored afterwards in the same transaction (<see cref="BulkLoadDeferral"/>); below it,
    /// dropping and rebuilding costs more than row-by-row maintenance (measured: docs/seeding.md).
    /// </summary>
    public const long DeferKeysFromRows = 10_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;

    /// <param name="dataSource">The database to seed, with the Clearway enum mappings (<see cref="ClearwayNpgsql.CreateDataSource"/>);
    /// every statement of the seed runs without a command timeout whatever its connection string says.</param>
    public SeedRunner(NpgsqlDataSource dataSource, ILogger<SeedRunner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

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

    /// <summary>Seeds the database a connection string names, or skips when it already holds this exact seed.</summary>
    /// <inheritdoc cref="RunAsync(SeedOptions, IProgress{SeedTableResult}, CancellationToken)"/>
    public static async Task<SeedResult> SeedAsync(string connectionString, SeedOptions options, ILoggerFactory? loggerFactory = null,
        IProgress<SeedTableResult>? progress = null, CancellationToken cancellationToken = default)
    {
        // No command timeout: a COPY of a million rows, an index build or a key validation takes as long as it takes.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 };
        await using var dataSource = ClearwayNpgsql.CreateDataSource(builder.ConnectionString);
        return await new SeedRunner(dataSource, loggerFactory?.CreateLogger<SeedRunner>()).RunAsync(options, progress, cancellationToken);
    }

    /// <summary>Seeds the database, or skips when it already holds this exact seed (or a seed it is asked to keep).</summary>
    /// <param name="progress">Told each table's result as soon as it is written (inside the open transaction).</param>
    /// <exception cref="SeedInputException">The options are invalid.</exception>
    /// <exception cref="SeedRefusedException">Not migrated, seeded with another plan (without Reset), or holding foreign rows.</exception>
    /// <exception cref="SeedConnectionLostException">The server closed the connection; nothing was written.</exception>
    public async Task<SeedResult> RunAsync(SeedOptions options, IProgress<SeedTableResult>? progress = null, CancellationToken cancellationToken = default)
    {
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
            connection = await _dataSource.OpenConnectionAsync(cancellationToken);
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
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        step.Doing = "waiting for another seeder";
        await SeedSql.ExecuteAsync(connection, AdvisoryLocks.RewriteTablesSql, cancellationToken);
        step.Doing = "reading the seed marker";
        // Under the lock: what it decides holds until this transaction ends.
        var decision = await SeedDecision.DecideAsync(connection, options, _logger, cancellationToken);
        if (decision.Skip is var (outcome, why))
        {
            await transaction.RollbackAsync(cancellationToken);
            SeedLog.Skipped(_logger, why);
            activity?.SetTag("seed.skipped", true);
            return new SeedResult { Outcome = outcome, Options = options, Existing = decision.Existing?.Canonical, Plan = plan, Tables = [], Elapsed = total.Elapsed, Message = why };
        }
        if (decision.Existing is { } replaced)
        {
            SeedLog.Reset(_logger, replaced.Fingerprint, replaced.Canonical);
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
            Outcome = SeedOutcome.Seeded,
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
