using System.Collections.Concurrent;
using Clearway.Data.Schema;
using Clearway.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Clearway.TestDatabases;

/// <summary>What a request to the service came to: an HTTP status and, when there is one, the JSON to answer.</summary>
public readonly record struct Outcome(int Status, object? Body);

/// <summary>
/// IntegreSQL's template and test-database lifecycle (<c>docs/integration.md</c> of allaboutapps/integresql), on the server
/// the store lives on, with databases of its own (<c>integresql_*</c>; never the live <c>clearway</c>): templates the
/// clients initialize and finalize, and Clearway's seeded recipes (<see cref="ClearwayRecipes"/>) ready-made from the
/// template store. Leases are reclaimed in the background; what a killed service left is dropped at the next start.
/// </summary>
public sealed partial class TestDatabaseService : BackgroundService
{
    private const string DatabasePrefix = "integresql_";
    private readonly ConcurrentDictionary<string, TemplatePool> _pools = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _discarded = new(StringComparer.Ordinal);
    private readonly TestDatabaseOptions _options;
    private readonly DatabaseStates _states;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lazy<Task<TestRole>> _role;

    public TestDatabaseService(IOptions<TestDatabaseOptions> options, DatabaseStates states, ILoggerFactory loggers, TimeProvider time)
    {
        _options = options.Value;
        _states = states;
        _loggers = loggers;
        _logger = loggers.CreateLogger<TestDatabaseService>();
        _time = time;
        _role = new(() => TestRole.EnsureAsync(Server, _options.Role, CancellationToken.None));
        TestDatabaseTelemetry.Meter.CreateObservableGauge("clearway.testdbs.ready", () => _pools.Values.Sum(p => p.ReadyCount),
            unit: "{database}", description: "Test databases ready to hand out, over every template.");
    }

    private StateServer Server => _states.Store.Server;

    /// <summary>POST /templates: 200 with the template to migrate; 423 when the hash is known already (a Clearway recipe always is).</summary>
    public async Task<Outcome> InitializeAsync(string hash, CancellationToken ct)
    {
        if (ClearwayRecipes.Parse(hash) is not null)
        {
            _ = ClearwayPoolAsync(hash, ct);
            return new(423, new MessageJson("template is already initialized"));
        }
        var role = await _role.Value;
        var pool = new TemplatePool(hash, Server, _options, role, _time, _loggers.CreateLogger<TemplatePool>());
        lock (_pools)
        {
            if (_pools.TryGetValue(hash, out var existing) && existing.State != TemplateState.Discarded)
                return new(423, new MessageJson("template is already initialized"));
            _pools[hash] = pool;
        }
        _discarded.TryRemove(hash, out _);
        await Server.DropAsync(pool.Template, ct);
        await Server.ExecuteAsync($"CREATE DATABASE {PostgresIdentifier.Quote(pool.Template)} OWNER {PostgresIdentifier.Quote(role.Name)} TEMPLATE template0", ct);
        LogInitialized(_logger, hash);
        return new(200, new TemplateDatabaseJson(pool.TemplateJson));
    }

    /// <summary>PUT /templates/:hash: 204 (also when finalized already); 404 for an unknown hash.</summary>
    public async Task<Outcome> FinalizeAsync(string hash, CancellationToken ct)
    {
        if (ClearwayRecipes.Parse(hash) is not null)
        {
            await ClearwayPoolAsync(hash, ct);
            return new(204, null);
        }
        if (!_pools.TryGetValue(hash, out var pool) || pool.State == TemplateState.Discarded)
            return NotFound(hash);
        await pool.FinalizeAsync(ct);
        return new(204, null);
    }

    /// <summary>DELETE /templates/:hash: 204; 404 for an unknown hash.</summary>
    public async Task<Outcome> DiscardAsync(string hash, CancellationToken ct)
    {
        if (!_pools.TryRemove(hash, out var pool))
            return NotFound(hash);
        _discarded[hash] = 0;
        await pool.DiscardAsync(template: true, ct);
        LogDiscarded(_logger, hash);
        return new(204, null);
    }

    /// <summary>DELETE /admin/templates: every template and test database of the service dropped.</summary>
    public async Task<Outcome> DiscardAllAsync(CancellationToken ct)
    {
        foreach (var hash in _pools.Keys.ToList())
            await DiscardAsync(hash, ct);
        await DropLeftoversAsync(ct);
        return new(204, null);
    }

    /// <summary>GET /templates/:hash/tests: 200 with a database of the caller's own; 404 unknown, 410 discarded, 503 none in time.</summary>
    public async Task<Outcome> TakeAsync(string hash, CancellationToken ct)
    {
        using var activity = TestDatabaseTelemetry.Source.StartActivity("hand out test database");
        activity?.SetTag("clearway.testdbs.template", hash);
        TemplatePool? pool;
        if (ClearwayRecipes.Parse(hash) is not null)
            pool = await ClearwayPoolAsync(hash, ct);
        else if (_discarded.ContainsKey(hash))
            return new(410, new MessageJson("template was just discarded"));
        else if (!_pools.TryGetValue(hash, out pool))
            return NotFound(hash);
        if (pool.State == TemplateState.Discarded)
            return new(410, new MessageJson("template was just discarded"));
        var taken = await pool.TakeAsync(ct);
        return taken is { } database
            ? new(200, new TestDatabaseJson(database.Database, database.Id))
            : new(503, new MessageJson(pool.State == TemplateState.Initializing ? "template was not finalized in time" : "timeout when waiting for ready db"));
    }

    /// <summary>POST .../unlock and the older DELETE .../tests/:id: 204; 404 for an unknown hash or id.</summary>
    public Outcome Unlock(string hash, int id) => WithPool(hash, id, pool => pool.Unlock(id));

    /// <summary>POST .../recreate: 204; 404 for an unknown hash or id.</summary>
    public Outcome Recreate(string hash, int id) => WithPool(hash, id, pool => pool.Recreate(id));

    private Outcome WithPool(string hash, int id, Func<TemplatePool, bool> act) =>
        !_pools.TryGetValue(hash, out var pool) ? NotFound(hash)
        : act(pool) ? new(204, null)
        : new(404, new MessageJson($"test database not found (template {hash}, id {id})"));

    /// <summary>The pool of a Clearway recipe: its template from the store (built first if need be), owned by the role, finalized.</summary>
    private async Task<TemplatePool> ClearwayPoolAsync(string hash, CancellationToken ct)
    {
        var role = await _role.Value;
        var pool = _pools.GetOrAdd(hash, h => new TemplatePool(h, Server, _options, role, _time, _loggers.CreateLogger<TemplatePool>()));
        if (pool.State != TemplateState.Initializing)
            return pool;
        lock (pool)
            pool.Preparing ??= PrepareClearwayTemplateAsync(pool, role);
        await pool.Preparing.WaitAsync(ct);
        return pool;
    }

    private async Task PrepareClearwayTemplateAsync(TemplatePool pool, TestRole role)
    {
        var recipe = ClearwayRecipes.Parse(pool.Hash)!;
        await using var template = await _states.Store.AcquireAsync(recipe);
        await Server.DropAsync(pool.Template, CancellationToken.None);
        await template.CloneAsync(pool.Template);
        await role.TakeOverAsync(Server.ConnectionStringFor(pool.Template), CancellationToken.None);
        await Server.ExecuteAsync($"ALTER DATABASE {PostgresIdentifier.Quote(pool.Template)} OWNER TO {PostgresIdentifier.Quote(role.Name)}", CancellationToken.None);
        LogRecipeReady(_logger, pool.Hash, recipe.Describe());
        await pool.FinalizeAsync(CancellationToken.None);
    }

    /// <summary>Leftovers of a service that was killed are dropped first; then leases are reclaimed every second.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await DropLeftoversAsync(stoppingToken);
        await _role.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var pool in _pools.Values)
                pool.ReclaimExpired();
        }
    }

    /// <summary>On the way out every test database and template of the service goes: nothing is left behind for good.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var pool in _pools.Values)
            await pool.DiscardAsync(template: true, CancellationToken.None);
        _pools.Clear();
    }

    private async Task DropLeftoversAsync(CancellationToken ct)
    {
        await using var admin = await Server.OpenAdminAsync(ct);
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", admin) { Parameters = { new() { Value = DatabasePrefix } } };
        var names = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                names.Add(reader.GetString(0));
        }
        bool Live(string name) => _pools.Keys.Any(hash => name == "integresql_template_" + hash || name.StartsWith("integresql_test_" + hash + "_", StringComparison.Ordinal));
        foreach (var name in names.Where(n => !Live(n)))
            await Server.DropAsync(name, ct);
    }

    private static Outcome NotFound(string hash) => new(404, new MessageJson($"template not found ({hash})"));

    [LoggerMessage(1, LogLevel.Information, "Template {Hash} initialized; the client migrates it")]
    private static partial void LogInitialized(ILogger logger, string hash);

    [LoggerMessage(2, LogLevel.Information, "Template {Hash} discarded with its test databases")]
    private static partial void LogDiscarded(ILogger logger, string hash);

    [LoggerMessage(3, LogLevel.Information, "Template {Hash} ready from Clearway's recipe {Recipe}")]
    private static partial void LogRecipeReady(ILogger logger, string hash, string recipe);
}
