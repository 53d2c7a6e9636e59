using System.Globalization;
using System.Threading.Channels;
using Clearway.Data.Schema;
using Clearway.States;
using Microsoft.Extensions.Logging;

namespace Clearway.TestDatabases;

/// <summary>Where a template is in its life, as IntegreSQL's API tells it.</summary>
internal enum TemplateState
{
    /// <summary>Created; the client is migrating it. Requests for databases wait for it.</summary>
    Initializing,

    /// <summary>Finalized: databases are cloned from it.</summary>
    Ready,

    /// <summary>Discarded: it and its databases are gone (410).</summary>
    Discarded,
}

/// <summary>
/// One template and its test databases <c>integresql_test_&lt;hash&gt;_&lt;id&gt;</c>: each ready (cloned, untouched),
/// handed out (leased until a time; returned, unlocked or recreated by the client, or reclaimed when the lease runs out),
/// or being recreated. Ready ones are kept in stock in the background, within the pool's bounds.
/// </summary>
internal sealed partial class TemplatePool
{
    private readonly StateServer _server;
    private readonly TestDatabaseOptions _options;
    private readonly TestRole _role;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource _finalized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<Slot> _ready = Channel.CreateUnbounded<Slot>();
    private readonly List<Slot> _slots = [];
    private int _stocking;

    public TemplatePool(string hash, StateServer server, TestDatabaseOptions options, TestRole role, TimeProvider time, ILogger logger)
    {
        Hash = hash;
        Template = "integresql_template_" + hash;
        _server = server;
        _options = options;
        _role = role;
        _time = time;
        _logger = logger;
    }

    public string Hash { get; }

    public string Template { get; }

    public TemplateState State { get; private set; } = TemplateState.Initializing;

    /// <summary>A Clearway recipe's template being made ready (from the store), awaited by every request that comes meanwhile.</summary>
    public Task? Preparing { get; set; }

    /// <summary>Databases ready to hand out now.</summary>
    public int ReadyCount => _ready.Reader.Count;

    public DatabaseJson TemplateJson => new(Hash, _role.ConfigFor(_server, Template));

    /// <summary>The template is complete: marked a template (no sessions: clones need none), and the pool is stocked.</summary>
    public async Task FinalizeAsync(CancellationToken ct)
    {
        if (State != TemplateState.Initializing)
            return;
        await using (var admin = await _server.OpenAdminAsync(ct))
        {
            await StateServer.ExecuteAsync(admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Template.Replace("'", "''", StringComparison.Ordinal)}'", ct);
            await StateServer.ExecuteAsync(admin, $"ALTER DATABASE {PostgresIdentifier.Quote(Template)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", ct);
        }
        State = TemplateState.Ready;
        _finalized.TrySetResult();
        LogFinalized(_logger, Hash);
        await StockAsync(ct);
    }

    /// <summary>
    /// A database for one test: waits for the template to be finalized and for a ready database (each within its limit),
    /// hands it out leased. Null when none could be had in time.
    /// </summary>
    public async Task<(int Id, DatabaseJson Database)?> TakeAsync(CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        try
        {
            await _finalized.Task.WaitAsync(_options.FinalizeWait, _time, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
        if (State != TemplateState.Ready)
            return null;
        _ = Task.Run(() => StockAsync(CancellationToken.None), CancellationToken.None);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_options.ReadyWait);
        while (true)
        {
            Slot slot;
            try
            {
                slot = await _ready.Reader.ReadAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return null;
            }
            lock (_slots)
            {
                if (slot.State != SlotState.Ready)
                    continue; // recreated or dropped since it was queued
                slot.State = SlotState.Leased;
                slot.LeasedUntil = _time.GetUtcNow() + _options.LeaseTime;
            }
            TestDatabaseTelemetry.HandedOut.Add(1, new KeyValuePair<string, object?>("template", Hash));
            TestDatabaseTelemetry.Wait.Record(_time.GetElapsedTime(started).TotalSeconds);
            _ = Task.Run(() => StockAsync(CancellationToken.None), CancellationToken.None);
            return (slot.Id, new DatabaseJson(Hash, _role.ConfigFor(_server, slot.Database)));
        }
    }

    /// <summary>The client is done and says the database is as it got it: ready again as it is. False for an unknown id.</summary>
    public bool Unlock(int id)
    {
        lock (_slots)
        {
            if (Find(id) is not { } slot)
                return false;
            if (slot.State != SlotState.Leased)
                return true;
            slot.State = SlotState.Ready;
            _ready.Writer.TryWrite(slot);
            return true;
        }
    }

    /// <summary>The client is done and the database changed: made again from the template in the background. False for an unknown id.</summary>
    public bool Recreate(int id)
    {
        Slot? slot;
        lock (_slots)
        {
            slot = Find(id);
            if (slot is null)
                return false;
            if (slot.State == SlotState.Recreating)
                return true;
            slot.State = SlotState.Recreating;
        }
        _ = Task.Run(() => RecreateAsync(slot, CancellationToken.None), CancellationToken.None);
        return true;
    }

    /// <summary>Reclaims every database whose lease ran out (its test runner died or forgot it); returns how many.</summary>
    public int ReclaimExpired()
    {
        List<Slot> expired;
        lock (_slots)
        {
            var now = _time.GetUtcNow();
            expired = _slots.Where(s => s.State == SlotState.Leased && s.LeasedUntil <= now).ToList();
            foreach (var slot in expired)
                slot.State = SlotState.Recreating;
        }
        foreach (var slot in expired)
        {
            LogReclaimed(_logger, slot.Database, Hash, _options.LeaseTime);
            TestDatabaseTelemetry.Reclaimed.Add(1, new KeyValuePair<string, object?>("template", Hash));
            _ = Task.Run(() => RecreateAsync(slot, CancellationToken.None), CancellationToken.None);
        }
        return expired.Count;
    }

    /// <summary>Drops every test database and, with <paramref name="template"/>, the template: the pool is gone.</summary>
    public async Task DiscardAsync(bool template, CancellationToken ct)
    {
        State = TemplateState.Discarded;
        _finalized.TrySetResult();
        _ready.Writer.TryComplete();
        List<Slot> slots;
        lock (_slots)
        {
            slots = [.. _slots];
            _slots.Clear();
        }
        foreach (var slot in slots)
            await _server.DropAsync(slot.Database, ct);
        if (template)
            await _server.DropAsync(Template, ct);
    }

    /// <summary>Keeps <see cref="TestDatabaseOptions.InitialPoolSize"/> ready, within <see cref="TestDatabaseOptions.MaxPoolSize"/> in all.</summary>
    private async Task StockAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _stocking, 1) != 0)
            return; // another stocking is under way
        try
        {
            while (State == TemplateState.Ready)
            {
                Slot slot;
                lock (_slots)
                {
                    var coming = _slots.Count(s => s.State is SlotState.Ready or SlotState.Recreating);
                    if (coming >= Math.Max(1, _options.InitialPoolSize) || _slots.Count >= _options.MaxPoolSize)
                        return;
                    slot = new Slot(_slots.Count, $"integresql_test_{Hash}_{_slots.Count.ToString("000", CultureInfo.InvariantCulture)}") { State = SlotState.Recreating };
                    _slots.Add(slot);
                }
                await RecreateAsync(slot, ct);
            }
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException)
        {
            LogStockFailed(_logger, Hash, e.Message);
        }
        finally
        {
            Volatile.Write(ref _stocking, 0);
        }
    }

    /// <summary>Drops the database (ending a forgotten test's sessions) and clones it again from the template; then it is ready.</summary>
    private async Task RecreateAsync(Slot slot, CancellationToken ct)
    {
        using var activity = TestDatabaseTelemetry.Source.StartActivity("recreate test database");
        activity?.SetTag("clearway.testdbs.database", slot.Database);
        try
        {
            await _server.DropAsync(slot.Database, ct);
            await _server.ExecuteAsync(
                $"CREATE DATABASE {PostgresIdentifier.Quote(slot.Database)} OWNER {PostgresIdentifier.Quote(_role.Name)} TEMPLATE {PostgresIdentifier.Quote(Template)} STRATEGY WAL_LOG", ct);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException && State == TemplateState.Discarded)
        {
            return; // discarded meanwhile
        }
        lock (_slots)
        {
            if (State != TemplateState.Ready || !_slots.Contains(slot))
                return;
            slot.State = SlotState.Ready;
            _ready.Writer.TryWrite(slot);
        }
    }

    private Slot? Find(int id) => id >= 0 && id < _slots.Count ? _slots[id] : null;

    private enum SlotState
    {
        Ready,
        Leased,
        Recreating,
    }

    private sealed class Slot(int id, string database)
    {
        public int Id { get; } = id;
        public string Database { get; } = database;
        public SlotState State { get; set; }
        public DateTimeOffset LeasedUntil { get; set; }
    }

    [LoggerMessage(1, LogLevel.Information, "Template {Hash} finalized; stocking its pool")]
    private static partial void LogFinalized(ILogger logger, string hash);

    [LoggerMessage(2, LogLevel.Warning, "Reclaimed {Database} of template {Hash}: its lease of {LeaseTime} ran out (returned, unlocked or recreated by nobody)")]
    private static partial void LogReclaimed(ILogger logger, string database, string hash, TimeSpan leaseTime);

    [LoggerMessage(3, LogLevel.Error, "Stocking the pool of template {Hash} failed: {Reason}")]
    private static partial void LogStockFailed(ILogger logger, string hash, string reason);
}
