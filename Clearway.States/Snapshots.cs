using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Clearway.Seeding;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Clearway.States;

/// <summary>
/// Snapshots of a developer's own database (whatever the app wrote since the seed), kept on the same server as
/// databases of their own (<c>clearway_snap_&lt;name&gt;</c>), so they survive restarts of the server and of its
/// container. A snapshot remembers the migrations it was taken at: restoring one from before a migration migrates it
/// forward, or refuses saying so.
/// </summary>
public sealed partial class Snapshots
{
    public const string Prefix = "clearway_snap_";
    private const string SavingSuffix = "__saving";

    private readonly StateServer _server;
    private readonly string _target;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    /// <param name="target">The live database the snapshots are taken of and restored into.</param>
    public Snapshots(StateServer server, string target, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        _server = server;
        _target = target;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<Snapshots>();
    }

    /// <summary>A snapshot name when none is given: the time, to the second (UTC).</summary>
    public static string DefaultName(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd-HHmmss", CultureInfo.InvariantCulture);

    /// <summary>Checks a snapshot name: 1 to 40 of letters, digits, '-', '_' and '.'.</summary>
    /// <exception cref="StateException">The name is empty or has other characters.</exception>
    public static string CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new StateException("the snapshot name is empty", "give a name (letters, digits, '-', '_', '.'), or leave it out for the time");
        if (!NamePattern().IsMatch(name))
            throw new StateException($"the snapshot name '{name}' is not 1 to 40 letters, digits, '-', '_' or '.'", "choose another name");
        return name;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    private static partial Regex NamePattern();

    private static string DatabaseOf(string name) => Prefix + name;

    /// <summary>Every snapshot, oldest first.</summary>
    public async Task<IReadOnlyList<StoredState>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var admin = await _server.OpenAdminAsync(cancellationToken);
        return (await StateCatalog.ListAsync(admin, Prefix, cancellationToken))
            .Where(s => s.Label is { Kind: StateKind.Snapshot } && !s.Database.EndsWith(SavingSuffix, StringComparison.Ordinal))
            .Select(s => new StoredState(s.Database, s.Label!, s.Bytes))
            .OrderBy(s => s.Label.CreatedAt)
            .ToList();
    }

    /// <summary>
    /// Copies the live database as snapshot <paramref name="name"/>. Sessions on it are ended for the moment of the copy
    /// (a database is copied only when nobody is connected to it); their clients reconnect by themselves.
    /// </summary>
    public async Task<StoredState> SaveAsync(string name, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        using var activity = StateTelemetry.Source.StartActivity("save snapshot");
        activity?.SetTag("clearway.states.snapshot", name);
        var clock = Stopwatch.StartNew();
        var database = DatabaseOf(name);
        var saving = database + SavingSuffix;
        await using var admin = await _server.OpenAdminAsync(cancellationToken);
        await using var _ = await SwapLock.TakeAsync(admin, _target, cancellationToken);
        await DatabaseSwap.RecoverLockedAsync(_server, admin, _target, _logger, cancellationToken);
        if (await _server.ExistsAsync(database, cancellationToken))
            throw new StateException($"snapshot '{name}' exists already", $"choose another name, or remove it first (`clearway snapshot rm {name}`)");
        if (!await _server.ExistsAsync(_target, cancellationToken))
            throw new StateException($"database \"{_target}\" does not exist; there is nothing to take a snapshot of", "run `clearway migrate` (or start the AppHost) first");
        await _server.DropAsync(saving, cancellationToken); // a save killed earlier

        var label = await LabelOfTargetAsync(name, cancellationToken);
        await StateServer.ExecuteAsync(admin, $"ALTER DATABASE {PostgresIdentifier.Quote(_target)} WITH ALLOW_CONNECTIONS false", cancellationToken);
        try
        {
            await DatabaseSwap.EndSessionsAsync(admin, _target, cancellationToken);
            await _server.CloneAsync(_target, saving, CloneStrategy.WalLog, cancellationToken);
        }
        finally
        {
            await DatabaseSwap.AllowConnectionsAsync(admin, _target);
        }
        NpgsqlConnection.ClearAllPools(); // this process's sessions on it were ended too
        await StateServer.ExecuteAsync(admin, $"ALTER DATABASE {PostgresIdentifier.Quote(saving)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", cancellationToken);
        await StateCatalog.WriteAsync(admin, saving, label, cancellationToken);
        await StateServer.ExecuteAsync(admin, $"ALTER DATABASE {PostgresIdentifier.Quote(saving)} RENAME TO {PostgresIdentifier.Quote(database)}", cancellationToken);
        var bytes = await _server.SizeAsync(database, cancellationToken);
        StateTelemetry.Record("snapshot save", clock.Elapsed);
        LogSaved(_logger, name, _target, bytes, clock.ElapsedMilliseconds);
        return new StoredState(database, label, bytes);
    }

    /// <summary>
    /// Puts snapshot <paramref name="name"/> in place of the live database (<see cref="DatabaseSwap"/>). A snapshot taken
    /// before migrations this build has is migrated forward first when <paramref name="migrateForward"/>, refused
    /// otherwise; one taken with migrations this build does not know is refused.
    /// </summary>
    public async Task<SnapshotRestore> RestoreAsync(string name, bool migrateForward, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        using var activity = StateTelemetry.Source.StartActivity("restore snapshot");
        activity?.SetTag("clearway.states.snapshot", name);
        var clock = Stopwatch.StartNew();
        var database = DatabaseOf(name);
        StateLabel label;
        await using (var admin = await _server.OpenAdminAsync(cancellationToken))
            label = await StateCatalog.ReadAsync(admin, database, cancellationToken) ?? throw Unknown(name);

        var known = ClearwayMigrator.Migrations.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = label.Migrations.Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
            throw new StateException($"snapshot '{name}' was taken at migration(s) this build does not have ({string.Join(", ", unknown)})",
                "restore it with the build that has them (check out that commit), or remove it");
        var pending = ClearwayMigrator.Migrations.Where(m => !label.Migrations.Contains(m.Id)).ToList();
        if (pending.Count > 0 && !migrateForward)
            throw new StateException($"snapshot '{name}' was taken before {pending.Count} migration(s) of this build ({string.Join(", ", pending.Select(m => m.Name))})",
                "restore it with --migrate to apply them to the restored copy");

        var next = DatabaseSwap.NextName(_target);
        await _server.CloneAsync(database, next, CloneStrategy.WalLog, cancellationToken);
        try
        {
            if (pending.Count > 0)
            {
                LogMigratingForward(_logger, name, pending.Count, string.Join(", ", pending.Select(m => m.Name)));
                var connectionString = new NpgsqlConnectionStringBuilder(_server.ConnectionStringFor(next)) { Pooling = false }.ConnectionString;
                await new ClearwayMigrator(new MigrationRun { ConnectionString = connectionString, EnvironmentName = MigrationRun.DevelopmentEnvironment },
                    _loggers.CreateLogger<ClearwayMigrator>()).MigrateAsync(cancellationToken);
            }
            var live = label with { Kind = StateKind.Live, Migrations = StateRecipe.MigrationIds, LastUsedAt = DateTimeOffset.UtcNow };
            await DatabaseSwap.SwapAsync(_server, _target, next, live, _logger, cancellationToken);
        }
        catch
        {
            await _server.DropAsync(next, CancellationToken.None);
            throw;
        }
        StateTelemetry.Record("snapshot restore", clock.Elapsed);
        return new SnapshotRestore(name, pending.Select(m => m.Name).ToList(), clock.Elapsed);
    }

    /// <summary>Removes snapshot <paramref name="name"/>.</summary>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        var database = DatabaseOf(name);
        if (!await _server.ExistsAsync(database, cancellationToken))
            throw Unknown(name);
        await _server.DropAsync(database, cancellationToken);
        LogRemoved(_logger, name);
    }

    /// <summary>What the live database holds now, as a snapshot's label: its migrations and the seed it was written with.</summary>
    private async Task<StateLabel> LabelOfTargetAsync(string name, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server.ConnectionStringFor(_target)) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        var plan = await MigrationPlan.ReadAsync(connection, ct);
        var seed = await SeedMarker.ReadAsync(connection, ct);
        var now = DateTimeOffset.UtcNow;
        return new StateLabel { Kind = StateKind.Snapshot, Name = name, Recipe = seed?.Canonical, Migrations = plan.AppliedIds, CreatedAt = now, LastUsedAt = now };
    }

    private StateException Unknown(string name) =>
        new($"there is no snapshot '{name}' of \"{_target}\"", "`clearway snapshot list` shows the snapshots there are");

    [LoggerMessage(30, LogLevel.Information, "Saved snapshot {Snapshot} of {Database} ({Bytes} bytes) in {ElapsedMs} ms")]
    private static partial void LogSaved(ILogger logger, string snapshot, string database, long bytes, long elapsedMs);

    [LoggerMessage(31, LogLevel.Information, "Snapshot {Snapshot} predates {Count} migration(s) of this build; migrating the restored copy forward: {Migrations}")]
    private static partial void LogMigratingForward(ILogger logger, string snapshot, int count, string migrations);

    [LoggerMessage(32, LogLevel.Information, "Removed snapshot {Snapshot}")]
    private static partial void LogRemoved(ILogger logger, string snapshot);
}

/// <summary>What a restore did: the snapshot, the migrations it was brought forward by, how long it took.</summary>
public sealed record SnapshotRestore(string Name, IReadOnlyList<string> MigratedForward, TimeSpan Elapsed);
