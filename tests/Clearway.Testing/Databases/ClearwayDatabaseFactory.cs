using System.Collections.Concurrent;
using System.Diagnostics;
using Clearway.States;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clearway.Testing.Databases;

/// <summary>
/// Hands out per-test databases: one template per distinct <see cref="ClearwayDatabaseOptions"/>, from the product's
/// template store (built once per server, kept for the next run), then a clone per test from a warm pool.
/// </summary>
public sealed class ClearwayDatabaseFactory : IAsyncDisposable
{
    private readonly ConcurrentDictionary<ClearwayDatabaseOptions, Lazy<Task<ClonePool>>> _pools = new();
    private readonly ConcurrentDictionary<ClearwayTestDatabase, byte> _live = new();
    private readonly ClearwayDatabaseFactoryOptions _options;
    private readonly TemplateStore _store;
    private readonly ILogger _logger;

    public ClearwayDatabaseFactory(PostgresServer server, ClearwayDatabaseFactoryOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        _options = options ?? new ClearwayDatabaseFactoryOptions();
        _store = new TemplateStore(new StateServer(server.AdminConnectionString), _options.Store, loggerFactory);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ClearwayDatabaseFactory>();
    }

    public PostgresServer Server { get; }

    /// <summary>Every database this factory hands out is named with this prefix, so its leftovers can be found.</summary>
    public string ClonePrefix { get; } = "clearway_test_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3)) + "_";

    /// <summary>A fresh database of the test's own, as <paramref name="options"/> describe.</summary>
    /// <param name="keepWhen">Asked on dispose: true keeps the database (used to keep a failed test's database).</param>
    public async Task<ClearwayTestDatabase> CreateDatabaseAsync(ClearwayDatabaseOptions? options = null, Func<bool>? keepWhen = null, CancellationToken cancellationToken = default)
    {
        options ??= ClearwayDatabaseOptions.EmptySchema;
        var (name, warm, handOut) = options.Migrated ? await CloneAsync(options, cancellationToken) : await CreateBlankAsync(options, cancellationToken);
        var database = new ClearwayTestDatabase(Server, name, options, warm, handOut,
            _options.KeepFailedDatabases ? keepWhen : null, _logger, d => _live.TryRemove(d, out _));
        _live[database] = 0;
        return database;
    }

    /// <summary>A clone of the options' template (built first if need be; the hand-out time excludes that).</summary>
    private async Task<(string Name, bool Warm, TimeSpan HandOut)> CloneAsync(ClearwayDatabaseOptions options, CancellationToken cancellationToken)
    {
        var pool = await GetPoolAsync(options, cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        var (name, warm) = await pool.TakeAsync(cancellationToken);
        return (name, warm, stopwatch.Elapsed);
    }

    private async Task<(string Name, bool Warm, TimeSpan HandOut)> CreateBlankAsync(ClearwayDatabaseOptions options, CancellationToken cancellationToken)
    {
        if (options.Profile is not null)
            throw new ArgumentException("A blank database cannot be seeded: set Profile or Migrated = false, not both.", nameof(options));
        var stopwatch = Stopwatch.StartNew();
        var name = await Server.CreateDatabaseAsync(ClonePrefix + "blank_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)), cancellationToken);
        return (name, false, stopwatch.Elapsed);
    }

    /// <summary>A database shared by many tests, reset between them with <see cref="SharedClearwayDatabase.ResetAsync"/>.</summary>
    public async Task<SharedClearwayDatabase> CreateSharedDatabaseAsync(ClearwayDatabaseOptions? options = null, CancellationToken cancellationToken = default) =>
        new(await CreateDatabaseAsync(options, keepWhen: null, cancellationToken));

    /// <summary>Builds (or finds) the template for <paramref name="options"/> and returns its name.</summary>
    public async Task<string> EnsureTemplateAsync(ClearwayDatabaseOptions options, CancellationToken cancellationToken = default) =>
        (await GetPoolAsync(options, cancellationToken)).Template.Template;

    /// <summary>Clones of <paramref name="options"/>' template ready to hand out right now (for the benchmark).</summary>
    internal async Task<int> ReadyClonesAsync(ClearwayDatabaseOptions options, CancellationToken cancellationToken) =>
        (await GetPoolAsync(options, cancellationToken)).ReadyCount;

    private Task<ClonePool> GetPoolAsync(ClearwayDatabaseOptions options, CancellationToken cancellationToken) =>
        _pools.GetOrAdd(options, o => new Lazy<Task<ClonePool>>(async () =>
            new ClonePool(await _store.AcquireAsync(o.ToRecipe(), cancellationToken: cancellationToken), _options.PoolSize, ClonePrefix))).Value;

    /// <summary>Drops the warm clones and any database a test did not dispose. Templates stay for the next run.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var pool in _pools.Values.Where(p => p.IsValueCreated && p.Value.IsCompletedSuccessfully).Select(p => p.Value.Result))
        {
            await pool.DisposeAsync();
            await pool.Template.DisposeAsync();
        }
        foreach (var database in _live.Keys)
            await database.DisposeAsync();
    }
}
