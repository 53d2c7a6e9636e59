using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Clearway.Data;
using Clearway.Data.Schema;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Generation;
using Clearway.Seeding.Tables;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Clearway.Seeding;

/// <summary>
/// Seeds a migrated Clearway database: plan → generate in FK order → binary COPY, all in one transaction →
/// refresh the materialized views → write the seed marker → commit. Re-running the same options is a no-op.
/// </summary>
public sealed class SeedRunner
{
    /// <summary>Bump whenever the generated data changes for the same options (it is part of the fingerprint).</summary>
    public const string SeederVersion = "1";

    /// <summary>The seed marker table (platform tables start with <c>__</c>).</summary>
    public const string MarkerTable = "__ClearwaySeed";

    private readonly ILogger _logger;

    public SeedRunner(ILogger<SeedRunner> logger) => _logger = logger;

    public SeedRunner(ILoggerFactory loggerFactory) => _logger = loggerFactory.CreateLogger<SeedRunner>();

    public SeedRunner() : this(NullLoggerFactory.Instance) { }

    /// <summary>Rows per batch handed from the generator to the COPY writer.</summary>
    public int BatchSize { get; init; } = 2048;

    /// <summary>Batches that may wait between generator and writer (bounds memory).</summary>
    public int ChannelCapacity { get; init; } = 8;

    /// <summary>
    /// Drop the plain (non-unique, non-constraint) indexes of the 28 tables before COPY and rebuild them from
    /// their own definitions afterwards, inside the same transaction: a sorted build is several times faster
    /// than maintaining a dozen btrees row by row. Unique indexes, keys and foreign keys stay in force.
    /// </summary>
    public bool DeferSecondaryIndexes { get; init; } = true;

    /// <summary>
    /// Called after each table is written, inside the open transaction (tests use it to kill a seeder at a
    /// known point; the worker exposes it as <c>Seeder:PauseAfterTable</c>).
    /// </summary>
    public Func<SeedTableResult, CancellationToken, Task>? AfterTable { get; init; }

    /// <summary>Refuses (throws <see cref="SeedRefusedException"/>) when the host environment is Production.</summary>
    public static void EnsureNotProduction(string? environmentName)
    {
        if (string.Equals(environmentName, "Production", StringComparison.OrdinalIgnoreCase))
            throw new SeedRefusedException(
                "refusing to seed: the environment is Production (seed data is for development and tests; set DOTNET_ENVIRONMENT=Development)");
    }

    /// <summary>Seeds the database, or skips when it already holds this exact seed.</summary>
    /// <exception cref="SeedInputException">The options are invalid.</exception>
    /// <exception cref="SeedRefusedException">Not migrated, seeded with another plan (without Reset), or holding foreign rows.</exception>
    public async Task<SeedResult> RunAsync(string connectionString, SeedOptions options, CancellationToken cancellationToken = default)
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

        await EnsureMigratedAsync(connectionString, cancellationToken);

        await using var dataSource = ClearwayNpgsql.CreateDataSource(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLocks.Seeding})", cancellationToken);
        await ExecuteAsync(connection, CreateMarkerSql, cancellationToken);
        var marker = await ReadMarkerAsync(connection, cancellationToken);

        var skip = marker switch
        {
            { } same when same.Fingerprint == options.Fingerprint && !options.Reset =>
                $"already seeded with this plan (fingerprint {same.Fingerprint}, {same.Canonical}); nothing to do",
            // As-of left to default (today): the same recipe seeded on another day is this seed, only dated then.
            { } sameRecipe when options.AsOfIsDefault && !options.Reset && sameRecipe.Canonical.StartsWith(options.Recipe + ";as-of=", StringComparison.Ordinal) =>
                $"already seeded with this recipe as of another day ({sameRecipe.Canonical}); nothing to do (pass --as-of to choose the date, with --reset to replace it)",
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
            var (table, rows) = await FirstNonEmptyTableAsync(connection, cancellationToken);
            if (table is not null)
                throw new SeedRefusedException(
                    $"refusing to seed: table \"{table}\" holds {rows:N0} rows the seeder did not write (no {MarkerTable} marker); nothing was changed");
        }
        else
        {
            SeedLog.Reset(_logger, marker.Value.Fingerprint, marker.Value.Canonical);
            await ClearwayTables.TruncateAllAsync(connection, cancellationToken);
        }

        var deferred = DeferSecondaryIndexes ? await DropSecondaryIndexesAsync(connection, cancellationToken) : [];
        var world = new SeedWorld(options, plan);
        var tables = await WriteTablesAsync(connection, world, cancellationToken);
        if (deferred.Count > 0)
        {
            var rebuild = Stopwatch.StartNew();
            using (SeedTelemetry.ActivitySource.StartActivity("rebuild indexes"))
            {
                await ExecuteAsync(connection, "SET LOCAL maintenance_work_mem = '256MB'", cancellationToken);
                foreach (var definition in deferred) await ExecuteAsync(connection, definition, cancellationToken);
            }
            SeedLog.IndexesRebuilt(_logger, deferred.Count, rebuild.ElapsedMilliseconds);
        }

        var refresh = Stopwatch.StartNew();
        using (SeedTelemetry.ActivitySource.StartActivity("refresh materialized views"))
            await MaterializedViews.RefreshAsync(connection, concurrently: false, cancellationToken);
        SeedLog.ViewsRefreshed(_logger, string.Join(", ", MaterializedViews.All), refresh.ElapsedMilliseconds);

        await WriteMarkerAsync(connection, options, plan, tables, total.Elapsed, cancellationToken);
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

    private static readonly string CreateMarkerSql = $"""
        CREATE TABLE IF NOT EXISTS "{MarkerTable}" (
            "id" integer PRIMARY KEY CHECK ("id" = 1),
            "fingerprint" text NOT NULL,
            "canonical" text NOT NULL,
            "seederVersion" text NOT NULL,
            "plan" jsonb NOT NULL,
            "rows" jsonb NOT NULL,
            "elapsedMs" bigint NOT NULL,
            "seededAt" timestamptz NOT NULL DEFAULT now())
        """;

    private static async Task EnsureMigratedAsync(string connectionString, CancellationToken ct)
    {
        await using var context = new ClearwayDbContext(ClearwayNpgsql.Options(connectionString));
        var pending = (await context.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
            throw new SeedRefusedException(
                $"refusing to seed: the schema is not migrated (missing migration {pending[0]}" +
                (pending.Count > 1 ? $" and {pending.Count - 1} more" : "") + "); run the migration service first");
    }

    /// <summary>Drops the plain indexes of the 28 tables and returns their CREATE INDEX statements.</summary>
    internal static async Task<List<string>> DropSecondaryIndexesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var definitions = new List<(string Name, string Definition)>();
        await using (var command = new NpgsqlCommand("""
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND t.relname = ANY (@tables) AND NOT x.indisunique AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
            ORDER BY t.relname, i.relname
            """, connection))
        {
            command.Parameters.AddWithValue("tables", SeedPlan.TableOrder.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) definitions.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (name, _) in definitions)
            await ExecuteAsync(connection, $"DROP INDEX \"public\".\"{name}\"", ct);
        return definitions.Select(d => d.Definition).ToList();
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    private readonly record struct Marker(string Fingerprint, string Canonical);

    private static async Task<Marker?> ReadMarkerAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT \"fingerprint\", \"canonical\" FROM \"{MarkerTable}\" WHERE \"id\" = 1", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new Marker(reader.GetString(0), reader.GetString(1)) : null;
    }

    private static async Task<(string? Table, long Rows)> FirstNonEmptyTableAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var sql = string.Join(" UNION ALL ", SeedPlan.TableOrder.Select((t, i) => $"SELECT {i} AS i, EXISTS (SELECT 1 FROM \"{t}\") AS x"));
        int? first = null;
        await using (var command = new NpgsqlCommand($"SELECT min(i) FROM ({sql}) s WHERE x", connection))
        {
            var value = await command.ExecuteScalarAsync(ct);
            if (value is int i) first = i;
        }
        if (first is null) return (null, 0);
        var table = SeedPlan.TableOrder[first.Value];
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
        return (table, (long)(await count.ExecuteScalarAsync(ct))!);
    }

    private static async Task WriteMarkerAsync(NpgsqlConnection connection, SeedOptions options, SeedPlan plan,
        IReadOnlyList<SeedTableResult> tables, TimeSpan elapsed, CancellationToken ct)
    {
        var rows = new StringBuilder("{");
        for (var i = 0; i < tables.Count; i++)
            rows.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}\"{tables[i].Table}\":{tables[i].Rows}");
        rows.Append('}');
        await using var command = new NpgsqlCommand($"""
            INSERT INTO "{MarkerTable}" ("id", "fingerprint", "canonical", "seederVersion", "plan", "rows", "elapsedMs")
            VALUES (1, @fingerprint, @canonical, @version, @plan::jsonb, @rows::jsonb, @elapsed)
            ON CONFLICT ("id") DO UPDATE SET "fingerprint" = EXCLUDED."fingerprint", "canonical" = EXCLUDED."canonical",
                "seederVersion" = EXCLUDED."seederVersion", "plan" = EXCLUDED."plan", "rows" = EXCLUDED."rows",
                "elapsedMs" = EXCLUDED."elapsedMs", "seededAt" = now()
            """, connection);
        command.Parameters.AddWithValue("fingerprint", options.Fingerprint);
        command.Parameters.AddWithValue("canonical", options.Canonical);
        command.Parameters.AddWithValue("version", SeederVersion);
        command.Parameters.AddWithValue("plan", plan.ToJson());
        command.Parameters.AddWithValue("rows", rows.ToString());
        command.Parameters.AddWithValue("elapsed", (long)elapsed.TotalMilliseconds);
        await command.ExecuteNonQueryAsync(ct);
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
    private async Task<IReadOnlyList<SeedTableResult>> WriteTablesAsync(NpgsqlConnection connection, SeedWorld world, CancellationToken ct)
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
                    if (AfterTable is not null) await AfterTable(result, ct);
                    rows = 0;
                    clock.Restart();
                    continue;
                }

                importer ??= await connection.BeginBinaryImportAsync(table.CopyCommand, ct);
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
