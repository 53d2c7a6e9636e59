using System.Diagnostics;
using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Clearway.Seeding;
using Clearway.Seeding.Fresh;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Clearway.States;

/// <summary>
/// One template database per recipe on a server, built at most once across every process that asks at the same time
/// (under the template's advisory lock), into a scratch name renamed only when complete: every row, index, key and view
/// in, the schema verified. A kill mid-build leaves only the scratch, which the next caller drops. Templates beyond the
/// configured count or size are dropped, least recently used first, never one in use (held by a
/// <see cref="TemplateLease"/>).
/// </summary>
public sealed partial class TemplateStore
{
    private readonly StateServer _server;
    private readonly TemplateStoreOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    public TemplateStore(StateServer server, TemplateStoreOptions? options = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
        _options = options ?? new TemplateStoreOptions();
        if (_options.Problem() is { } problem)
            throw new ArgumentException(problem, nameof(options));
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<TemplateStore>();
    }

    public StateServer Server => _server;

    /// <summary>
    /// The template for <paramref name="recipe"/>, built now if there is none; held (safe from eviction) until the lease
    /// is disposed. Leftovers of killed builds are dropped first.
    /// </summary>
    public async Task<TemplateLease> AcquireAsync(StateRecipe recipe, IProgress<SeedTableResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var key = recipe.Key;
        await RecoverAsync(cancellationToken);
        var admin = await _server.OpenAdminAsync(cancellationToken);
        try
        {
            // Held shared from here to the lease's end: clones go on, and eviction (which takes it exclusively) passes it by.
            await StateServer.ExecuteAsync(admin, $"SELECT pg_advisory_lock_shared({key.UseLock})", cancellationToken);
            var clock = Stopwatch.StartNew();
            var label = await StateCatalog.ReadAsync(admin, key.DatabaseName, cancellationToken);
            var built = false;
            if (label is null)
            {
                // Whoever gets the build lock first builds it; the others find it built when they get the lock.
                await StateServer.ExecuteAsync(admin, $"SELECT pg_advisory_lock({key.BuildLock})", cancellationToken);
                try
                {
                    label = await StateCatalog.ReadAsync(admin, key.DatabaseName, cancellationToken);
                    if (label is null)
                    {
                        label = await BuildAsync(admin, key, recipe, progress, cancellationToken);
                        built = true;
                    }
                }
                finally
                {
                    await StateServer.ExecuteAsync(admin, $"SELECT pg_advisory_unlock({key.BuildLock})", CancellationToken.None);
                }
            }
            label = label with { LastUsedAt = DateTimeOffset.UtcNow };
            await StateCatalog.WriteAsync(admin, key.DatabaseName, label, cancellationToken);
            var bytes = await _server.SizeAsync(key.DatabaseName, cancellationToken);
            LogTemplateReady(_logger, key.DatabaseName, built ? "built" : "reused", clock.ElapsedMilliseconds, label.Describe(), bytes);
            var lease = new TemplateLease(_server, admin, key, label, bytes, built, bytes >= _options.FileCopyFromBytes ? CloneStrategy.FileCopy : CloneStrategy.WalLog, _logger);
            if (built)
                await EvictAsync(key, cancellationToken);
            return lease;
        }
        catch
        {
            await admin.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every template and snapshot on the server, with its label and size.</summary>
    public async Task<IReadOnlyList<StoredState>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var admin = await _server.OpenAdminAsync(cancellationToken);
        var states = new List<StoredState>();
        foreach (var prefix in new[] { TemplateKey.Prefix, Snapshots.Prefix })
        {
            foreach (var (database, label, bytes) in await StateCatalog.ListAsync(admin, prefix, cancellationToken))
            {
                if (label is not null && !database.EndsWith(TemplateKey.BuildSuffix, StringComparison.Ordinal))
                    states.Add(new StoredState(database, label, bytes));
            }
        }
        return states;
    }

    /// <summary>Drops every template not in use (and, with <paramref name="snapshots"/>, every snapshot); returns what was dropped.</summary>
    public async Task<IReadOnlyList<StoredState>> PruneAsync(bool snapshots, CancellationToken cancellationToken = default)
    {
        var dropped = new List<StoredState>();
        await using var admin = await _server.OpenAdminAsync(cancellationToken);
        foreach (var state in await ListAsync(cancellationToken))
        {
            if (state.Label.Kind == StateKind.Snapshot && !snapshots)
                continue;
            if (await DropIfIdleAsync(admin, state.Database, cancellationToken))
                dropped.Add(state);
        }
        return dropped;
    }

    /// <summary>Drops what killed builds left: a scratch template whose lock nobody holds.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken = default)
    {
        await using var admin = await _server.OpenAdminAsync(cancellationToken);
        foreach (var (database, _, _) in await StateCatalog.ListAsync(admin, TemplateKey.Prefix, cancellationToken))
        {
            if (!database.EndsWith(TemplateKey.BuildSuffix, StringComparison.Ordinal))
                continue;
            var template = database[..^TemplateKey.BuildSuffix.Length];
            if (await WithLockIfFreeAsync(admin, TemplateKey.BuildLockOf(template), () => _server.DropAsync(database, cancellationToken), cancellationToken))
                LogDroppedIncomplete(_logger, database);
        }
    }

    private async Task<StateLabel> BuildAsync(NpgsqlConnection admin, TemplateKey key, StateRecipe recipe, IProgress<SeedTableResult>? progress, CancellationToken ct)
    {
        using var activity = StateTelemetry.Source.StartActivity("build template");
        activity?.SetTag("clearway.states.template", key.DatabaseName);
        activity?.SetTag("clearway.states.recipe", recipe.Describe());
        var clock = Stopwatch.StartNew();
        var scratch = key.BuildName;
        await _server.DropAsync(scratch, ct); // a build killed earlier (we hold the build lock: nobody is building it now)
        await _server.CreateAsync(scratch, ct);
        try
        {
            // Unpooled: a connection left idle in a pool would keep the rename below waiting.
            var connectionString = new NpgsqlConnectionStringBuilder(_server.ConnectionStringFor(scratch)) { Pooling = false }.ConnectionString;
            var migrator = new ClearwayMigrator(new MigrationRun { ConnectionString = connectionString, EnvironmentName = MigrationRun.DevelopmentEnvironment },
                _loggers.CreateLogger<ClearwayMigrator>());
            await migrator.MigrateAsync(ct);
            if (recipe.Seed is { } seed)
            {
                await new FreshLoader(connectionString, _loggers.CreateLogger<FreshLoader>(), _options.Parallelism).LoadAsync(seed, progress, ct);
                // The keys were dropped and built again: complete means the schema is exactly the manifest's once more.
                (await migrator.VerifyAsync(ct)).EnsureValid();
            }

            var now = DateTimeOffset.UtcNow;
            var label = new StateLabel { Kind = StateKind.Template, Recipe = recipe.Describe(), Migrations = StateRecipe.MigrationIds, CreatedAt = now, LastUsedAt = now };
            var name = PostgresIdentifier.Quote(key.DatabaseName);
            // Nobody connects to a template: CREATE DATABASE … TEMPLATE refuses a source with sessions.
            await StateServer.ExecuteAsync(admin, $"ALTER DATABASE {PostgresIdentifier.Quote(scratch)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", ct);
            await StateCatalog.WriteAsync(admin, scratch, label, ct);
            // The rename is what makes it complete: a template under its own name is whole.
            await StateServer.ExecuteAsync(admin, $"ALTER DATABASE {PostgresIdentifier.Quote(scratch)} RENAME TO {name}", ct);
            StateTelemetry.Record("build", clock.Elapsed);
            return label;
        }
        catch
        {
            await _server.DropAsync(scratch, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Drops least recently used templates until the store is within its count and size, never <paramref name="keep"/> nor one in use.</summary>
    private async Task EvictAsync(TemplateKey keep, CancellationToken ct)
    {
        var templates = (await ListAsync(ct)).Where(s => s.Label.Kind == StateKind.Template).OrderBy(s => s.Label.LastUsedAt).ToList();
        var count = templates.Count;
        var bytes = templates.Sum(t => t.Bytes);
        await using var admin = await _server.OpenAdminAsync(ct);
        foreach (var candidate in templates)
        {
            if (count <= _options.MaxTemplates && bytes <= _options.MaxBytes)
                break;
            if (candidate.Database == keep.DatabaseName || !await DropIfIdleAsync(admin, candidate.Database, ct))
                continue;
            count--;
            bytes -= candidate.Bytes;
            LogEvicted(_logger, candidate.Database, candidate.Label.Describe(), candidate.Label.LastUsedAt, candidate.Bytes);
        }
    }

    /// <summary>Drops a template or snapshot unless someone holds it (its lock is taken exclusively first).</summary>
    private async Task<bool> DropIfIdleAsync(NpgsqlConnection admin, string database, CancellationToken ct) =>
        await WithLockIfFreeAsync(admin, TemplateKey.UseLockOf(database), () => _server.DropAsync(database, ct), ct);

    private static async Task<bool> WithLockIfFreeAsync(NpgsqlConnection admin, long key, Func<Task> work, CancellationToken ct)
    {
        await using (var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({key})", admin))
        {
            if (await command.ExecuteScalarAsync(ct) is not true)
                return false;
        }
        try
        {
            await work();
            return true;
        }
        finally
        {
            await StateServer.ExecuteAsync(admin, $"SELECT pg_advisory_unlock({key})", CancellationToken.None);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Template {Template} {Outcome} in {ElapsedMs} ms ({Recipe}, {Bytes} bytes)")]
    private static partial void LogTemplateReady(ILogger logger, string template, string outcome, long elapsedMs, string recipe, long bytes);

    [LoggerMessage(2, LogLevel.Information, "Evicted template {Template} ({Recipe}, last used {LastUsed:o}, {Bytes} bytes)")]
    private static partial void LogEvicted(ILogger logger, string template, string recipe, DateTimeOffset lastUsed, long bytes);

    [LoggerMessage(3, LogLevel.Warning, "Dropped {Database}: a template build that never completed (killed or failed)")]
    private static partial void LogDroppedIncomplete(ILogger logger, string database);
}
