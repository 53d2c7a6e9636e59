using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.States;

/// <summary>
/// A template held in use: it cannot be evicted while this lives (a shared advisory lock on a session of its own).
/// Clones come from here.
/// </summary>
public sealed partial class TemplateLease : IAsyncDisposable
{
    private readonly StateServer _server;
    private readonly NpgsqlConnection _admin;
    private readonly ILogger _logger;

    internal TemplateLease(StateServer server, NpgsqlConnection admin, TemplateKey key, StateLabel label, long bytes, bool built, CloneStrategy strategy, ILogger logger)
    {
        _server = server;
        _admin = admin;
        Key = key;
        Label = label;
        Bytes = bytes;
        Built = built;
        Strategy = strategy;
        _logger = logger;
    }

    public TemplateKey Key { get; }

    public string Template => Key.DatabaseName;

    public StateLabel Label { get; }

    public long Bytes { get; }

    /// <summary>True when this lease built the template (false: it existed).</summary>
    public bool Built { get; }

    /// <summary>How clones are copied: by the template's size, whichever was measured faster.</summary>
    public CloneStrategy Strategy { get; }

    /// <summary>Creates <paramref name="database"/> as a copy of the template.</summary>
    public async Task CloneAsync(string database, CancellationToken cancellationToken = default)
    {
        using var activity = StateTelemetry.Source.StartActivity("clone template");
        activity?.SetTag("clearway.states.template", Template);
        activity?.SetTag("clearway.states.database", database);
        var clock = Stopwatch.StartNew();
        await _server.CloneAsync(Template, database, Strategy, cancellationToken);
        StateTelemetry.Record("clone", clock.Elapsed);
        LogCloned(_logger, database, Template, Strategy, clock.ElapsedMilliseconds);
    }

    /// <summary>Drops a clone made from here (nobody took it, or its user is done).</summary>
    public Task DropCloneAsync(string database) => _server.DropAsync(database, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StateServer.ExecuteAsync(_admin, $"SELECT pg_advisory_unlock_shared({Key.UseLock})", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The session is gone, and its lock with it.
        }
        await _admin.DisposeAsync();
    }

    [LoggerMessage(10, LogLevel.Debug, "Cloned {Database} from {Template} ({Strategy}) in {ElapsedMs} ms")]
    private static partial void LogCloned(ILogger logger, string database, string template, CloneStrategy strategy, long elapsedMs);
}
