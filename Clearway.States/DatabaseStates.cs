using System.Diagnostics;
using System.Globalization;
using Clearway.Data.Schema;
using Clearway.Seeding;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Clearway.States;

/// <summary>
/// The developer's database and its states: seeding and resetting it through the template store (a clone of the
/// recipe's template swapped in, the template built first if there is none), and its snapshots. The seeder worker,
/// the database manager's commands, <c>clearway seed|reset|up|snapshot</c> all come here.
/// </summary>
public sealed partial class DatabaseStates
{
    private readonly string _connectionString;
    private readonly StateServer _server;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    /// <param name="connectionString">The live database (its role must be able to create databases for the store to be used).</param>
    public DatabaseStates(string connectionString, TemplateStoreOptions? options = null, ILoggerFactory? loggers = null)
    {
        var builder = ClearwayConnectionString.Parse(connectionString);
        builder.CommandTimeout = 0;
        _connectionString = builder.ConnectionString;
        Database = builder.Database!;
        _server = new StateServer(connectionString);
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<DatabaseStates>();
        Store = new TemplateStore(_server, options, _loggers);
        Snapshots = new Snapshots(_server, Database, _loggers);
    }

    /// <summary>The live database's name.</summary>
    public string Database { get; }

    public TemplateStore Store { get; }

    public Snapshots Snapshots { get; }

    /// <summary>Waits for the server (bounded by <paramref name="limit"/>) and checks that the database exists, as the migrator does.</summary>
    public Task WaitForDatabaseAsync(TimeSpan limit, CancellationToken cancellationToken = default) =>
        Data.Migrator.ClearwayMigrator.WaitForDatabaseAsync(_connectionString, limit, _logger, cancellationToken);

    /// <summary>
    /// Seeds by the seeder's rules (<see cref="SeedDecision"/>): skips, refuses, or replaces the database by a clone of
    /// the recipe's template. Where a swap is not allowed (the role may not create databases, or the database holds
    /// tables that are not Clearway's) it seeds in place, in one transaction, as <see cref="SeedRunner"/> does.
    /// </summary>
    public async Task<SeedResult> SeedAsync(SeedOptions options, IProgress<SeedTableResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        await DatabaseSwap.RecoverAsync(_server, Database, _logger, cancellationToken);
        await using (var connection = await OpenAsync(cancellationToken))
        {
            var decision = await SeedDecision.DecideAsync(connection, options, _logger, cancellationToken);
            if (decision.Skip is var (outcome, why))
            {
                LogSkipped(_logger, Database, why);
                return new SeedResult
                {
                    Outcome = outcome, Options = options, Existing = decision.Existing?.Canonical, Plan = SeedPlan.For(options.Profile, options.Scale),
                    Tables = [], Elapsed = clock.Elapsed, Message = why,
                };
            }
            if ((options.InPlace ? "asked to (--in-place)" : await WhyNotSwapAsync(connection, cancellationToken)) is { } reason)
            {
                LogInPlace(_logger, Database, reason);
                var result = await SeedRunner.SeedAsync(_connectionString, options, _loggers, progress, cancellationToken);
                await ForgetLabelAsync(cancellationToken);
                return result;
            }
        }

        // The seeder's trace: the template's build (or its clone) and the swap, as one "seed" like an in-place seed's.
        using var activity = StateTelemetry.Source.StartActivity("seed");
        activity?.SetTag("clearway.seed.fingerprint", options.Fingerprint);
        var change = await ReplaceAsync(new StateRecipe(options), progress, cancellationToken);
        await using var seeded = await OpenAsync(cancellationToken);
        var tables = await SeedMarker.ReadRowsAsync(seeded, cancellationToken);
        return new SeedResult
        {
            Outcome = SeedOutcome.Seeded, Options = options, Plan = SeedPlan.For(options.Profile, options.Scale), Tables = tables, Elapsed = clock.Elapsed,
            Message = string.Create(CultureInfo.InvariantCulture,
                $"seeded {tables.Sum(t => t.Rows):N0} rows in 28 tables in {clock.Elapsed.TotalSeconds:N1} s: {change.Describe()} (fingerprint {options.Fingerprint})"),
        };
    }

    /// <summary>
    /// Puts the recipe of <paramref name="options"/> in place of the database, whatever it holds, as long as it is
    /// Clearway's (<see cref="DatabaseOwnership"/>) and holds no tables of anyone else's.
    /// </summary>
    public async Task<StateChange> ResetAsync(SeedOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        await DatabaseSwap.RecoverAsync(_server, Database, _logger, cancellationToken);
        if (await _server.ExistsAsync(Database, cancellationToken))
        {
            await using var connection = await OpenAsync(cancellationToken);
            LogOwnership(_logger, Database, await DatabaseOwnership.EnsureOursAsync(connection, cancellationToken));
            if (await WhyNotSwapAsync(connection, cancellationToken) is { } reason)
                throw new StateException($"cannot reset \"{Database}\" from a template: {reason}",
                    "reset it in place with `clearway reset --rebuild` (rollback, migrate, seed: only Clearway's tables are touched)");
        }
        return await ReplaceAsync(new StateRecipe(options), progress: null, cancellationToken);
    }

    /// <summary>What the live database holds (its label), and the store's templates and snapshots.</summary>
    public async Task<StatesSummary> DescribeAsync(CancellationToken cancellationToken = default)
    {
        var states = await Store.ListAsync(cancellationToken);
        await using var admin = await _server.OpenAdminAsync(cancellationToken);
        var live = await StateCatalog.ReadAsync(admin, Database, cancellationToken);
        if (live is null && await _server.ExistsAsync(Database, cancellationToken))
        {
            // Not put there by a swap (seeded in place, or by an older build): the seed marker says what it holds.
            await using var connection = await OpenAsync(cancellationToken);
            live = await SeedMarker.ReadAsync(connection, cancellationToken) is { } marker
                ? new StateLabel { Kind = StateKind.Live, Recipe = marker.Canonical }
                : null;
        }
        return new StatesSummary(Database, live, states);
    }

    /// <summary>A label a swap left says what the swap put there; once seeded in place, the seed marker says what it holds.</summary>
    private async Task ForgetLabelAsync(CancellationToken ct)
    {
        await using var admin = await _server.OpenAdminAsync(ct);
        if (await StateCatalog.ReadAsync(admin, Database, ct) is not null)
            await StateCatalog.ClearAsync(admin, Database, ct);
    }

    private async Task<StateChange> ReplaceAsync(StateRecipe recipe, IProgress<SeedTableResult>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var template = await Store.AcquireAsync(recipe, progress, ct);
        var ready = clock.Elapsed;
        var next = DatabaseSwap.NextName(Database);
        await template.CloneAsync(next, ct);
        try
        {
            var now = DateTimeOffset.UtcNow;
            await DatabaseSwap.SwapAsync(_server, Database, next,
                new StateLabel { Kind = StateKind.Live, Recipe = recipe.Describe(), Migrations = StateRecipe.MigrationIds, CreatedAt = now, LastUsedAt = now }, _logger, ct);
        }
        catch
        {
            await _server.DropAsync(next, CancellationToken.None);
            throw;
        }
        return new StateChange(recipe.Describe(), template.Template, template.Built, ready, clock.Elapsed);
    }

    /// <summary>Why this database must not be swapped out (null: it may): a role that cannot, or rows of someone else's.</summary>
    private static async Task<string?> WhyNotSwapAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using (var privileges = new NpgsqlCommand("""
            SELECT r.rolsuper OR (r.rolcreatedb AND d.datdba = r.oid)
            FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()
            """, connection))
        {
            if (await privileges.ExecuteScalarAsync(ct) is not true)
                return "its role may not create databases or does not own it";
        }
        var ours = SeedPlan.TableOrder.Concat(PlatformTables.All).ToArray();
        await using var tables = new NpgsqlCommand("""
            SELECT format('%I.%I', n.nspname, c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
              AND NOT (n.nspname = 'public' AND c.relname = ANY ($1))
            ORDER BY 1
            """, connection);
        tables.Parameters.AddWithValue(ours);
        var others = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                others.Add(reader.GetString(0));
        }
        foreach (var table in others)
        {
            await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {table})", connection);
            if (await any.ExecuteScalarAsync(ct) is true)
                return $"table {table} holds rows that are not Clearway's, and a swap would lose them";
        }
        return null;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        // Unpooled: an idle pooled session would be one more for the swap to end.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    [LoggerMessage(40, LogLevel.Information, "Seed of {Database} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string database, string reason);

    [LoggerMessage(41, LogLevel.Information, "Seeding {Database} in place, not from a template: {Reason}")]
    private static partial void LogInPlace(ILogger logger, string database, string reason);

    [LoggerMessage(42, LogLevel.Information, "Reset of {Database}: the database is Clearway's because {Reason}")]
    private static partial void LogOwnership(ILogger logger, string database, string reason);
}

/// <summary>A database put in place from a template: the recipe, the template, whether it was built now, and how long each part took.</summary>
public sealed record StateChange(string Recipe, string Template, bool Built, TimeSpan TemplateReady, TimeSpan Elapsed)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Recipe} from template {Template} ({(Built ? "built" : "reused")} in {TemplateReady.TotalSeconds:0.0} s), swapped in at {Elapsed.TotalSeconds:0.0} s");
}

/// <summary>The live database's state and the store's contents, for the dashboard and <c>clearway states</c>.</summary>
public sealed record StatesSummary(string Database, StateLabel? Live, IReadOnlyList<StoredState> States)
{
    public long StoreBytes => States.Sum(s => s.Bytes);
}
