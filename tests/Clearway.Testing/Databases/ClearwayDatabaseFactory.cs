using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Clearway.Testing.Databases;

/// <summary>
/// Hands out per-test databases: one template per distinct <see cref="ClearwayDatabaseOptions"/> (built once per
/// server, see <see cref="TemplateBuilder"/>), then a clone per test from a warm pool.
/// </summary>
public sealed class ClearwayDatabaseFactory : IAsyncDisposable
{
    private readonly ConcurrentDictionary<ClearwayDatabaseOptions, Lazy<Task<Template>>> _templates = new();
    private readonly ConcurrentDictionary<ClearwayTestDatabase, byte> _live = new();
    private readonly ClearwayDatabaseFactoryOptions _options;
    private readonly TemplateRecipe _recipe;
    private readonly ILogger _logger;

    public ClearwayDatabaseFactory(PostgresServer server, ClearwayDatabaseFactoryOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(server, options, TemplateRecipe.Default, loggerFactory)
    {
    }

    internal ClearwayDatabaseFactory(PostgresServer server, ClearwayDatabaseFactoryOptions? options, TemplateRecipe recipe, ILoggerFactory? loggerFactory)
    {
        Server = server;
        _options = options ?? new ClearwayDatabaseFactoryOptions();
        _recipe = recipe;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ClearwayDatabaseFactory>();
    }

    public PostgresServer Server { get; }

    /// <summary>Every database this factory clones is named with this prefix, so its leftovers can be found.</summary>
    public string ClonePrefix { get; } = "clearway_test_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3)) + "_";

    /// <summary>A fresh database of the test's own, as <paramref name="options"/> describe.</summary>
    /// <param name="keepWhen">Asked on dispose: true keeps the database (used to keep a failed test's database).</param>
    public async Task<ClearwayTestDatabase> CreateDatabaseAsync(ClearwayDatabaseOptions? options = null, Func<bool>? keepWhen = null, CancellationToken cancellationToken = default)
    {
        options ??= ClearwayDatabaseOptions.EmptySchema;
        var template = await GetTemplateAsync(options, cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        var (name, warm) = await template.Pool.TakeAsync(cancellationToken);
        var database = new ClearwayTestDatabase(Server, name, options, warm, stopwatch.Elapsed,
            _options.KeepFailedDatabases ? keepWhen : null, _logger, d => _live.TryRemove(d, out _));
        _live[database] = 0;
        return database;
    }

    /// <summary>A database shared by many tests, reset between them with <see cref="SharedClearwayDatabase.ResetAsync"/>.</summary>
    public async Task<SharedClearwayDatabase> CreateSharedDatabaseAsync(ClearwayDatabaseOptions? options = null, CancellationToken cancellationToken = default) =>
        new(await CreateDatabaseAsync(options, keepWhen: null, cancellationToken));

    /// <summary>Builds (or finds) the template for <paramref name="options"/> and returns its name.</summary>
    public async Task<string> EnsureTemplateAsync(ClearwayDatabaseOptions options, CancellationToken cancellationToken = default) =>
        (await GetTemplateAsync(options, cancellationToken)).Name;

    /// <summary>Clones of <paramref name="options"/>' template ready to hand out right now (for the benchmark).</summary>
    internal async Task<int> ReadyClonesAsync(ClearwayDatabaseOptions options, CancellationToken cancellationToken) =>
        (await GetTemplateAsync(options, cancellationToken)).Pool.ReadyCount;

    private Task<Template> GetTemplateAsync(ClearwayDatabaseOptions options, CancellationToken cancellationToken) =>
        _templates.GetOrAdd(options, o => new Lazy<Task<Template>>(() => BuildTemplateAsync(o, cancellationToken))).Value;

    private async Task<Template> BuildTemplateAsync(ClearwayDatabaseOptions options, CancellationToken cancellationToken)
    {
        var key = TemplateKey.For(_recipe.MigrationIds, _recipe.Describe(options));
        var stopwatch = Stopwatch.StartNew();
        var built = await TemplateBuilder.EnsureAsync(Server, key, (cs, ct) => _recipe.BuildAsync(cs, options, ct), cancellationToken);
        var strategy = await ChooseStrategyAsync(key.DatabaseName, cancellationToken);
        Log.TemplateReady(_logger, key.DatabaseName, built ? "built" : "reused", stopwatch.ElapsedMilliseconds, key.Description, strategy);
        return new Template(key.DatabaseName, new ClonePool(Server, key.DatabaseName, strategy, _options.PoolSize, ClonePrefix));
    }

    private async Task<string> ChooseStrategyAsync(string template, CancellationToken cancellationToken)
    {
        if (_options.CloneStrategy != CloneStrategy.Auto)
            return _options.CloneStrategy == CloneStrategy.FileCopy ? "FILE_COPY" : "WAL_LOG";
        await using var admin = new NpgsqlConnection(Server.AdminConnectionString);
        await admin.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_database_size($1)", admin);
        command.Parameters.AddWithValue(template);
        var size = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return size >= _options.FileCopyThresholdBytes ? "FILE_COPY" : "WAL_LOG";
    }

    /// <summary>Drops the warm clones and any database a test did not dispose. Templates stay for the next run.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var template in _templates.Values.Where(t => t.IsValueCreated && t.Value.IsCompletedSuccessfully))
            await template.Value.Result.Pool.DisposeAsync();
        foreach (var database in _live.Keys)
            await database.DisposeAsync();
    }

    private sealed record Template(string Name, ClonePool Pool);
}
