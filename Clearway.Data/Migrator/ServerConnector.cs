using System.Diagnostics;
using System.Net.Sockets;
using Clearway.Data.Schema;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>
/// Opens connections to the target database: waits for the server with exponential backoff, the whole wait (each
/// attempt included) bounded by <see cref="MigratorOptions.ServerWaitLimit"/>; creates the database when asked;
/// fails fast on bad credentials. Target connections come from one data source (the host's, or one of its own).
/// </summary>
internal sealed class ServerConnector : IAsyncDisposable
{
    internal const string ApplicationName = "clearway-migrator";
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private readonly MigrationRun _options;
    private readonly ILogger _logger;
    private readonly NpgsqlConnectionStringBuilder _target;
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    public ServerConnector(MigrationRun options, ILogger logger, NpgsqlDataSource? dataSource)
    {
        _options = options;
        _logger = logger;
        _target = new NpgsqlConnectionStringBuilder(PrepareConnectionString(options.ConnectionString));
        _ownsDataSource = dataSource is null;
        _dataSource = dataSource ?? NpgsqlDataSource.Create(_target.ConnectionString);
    }

    public string Host => _target.Host!;
    public int Port => _target.Port;
    public string Database => _target.Database!;
    public string Describe => $"{Host}:{Port}, database \"{Database}\"";

    /// <summary>The target's connection string as the migrator uses it (see <see cref="PrepareConnectionString"/>).</summary>
    public string ConnectionString => _target.ConnectionString;

    /// <summary>
    /// The connection string the migrator's connections need: unpooled (the run lock is a session lock that must end
    /// with its connection), error details on, application name <c>clearway-migrator</c> unless one is given.
    /// Hosts that register a data source for the migrator build it from this.
    /// </summary>
    public static string PrepareConnectionString(string? connectionString)
    {
        var builder = MigrationRun.ParseConnectionString(connectionString);
        builder.Pooling = false;
        builder.IncludeErrorDetail = true;
        if (string.IsNullOrEmpty(builder.ApplicationName))
            builder.ApplicationName = ApplicationName;
        return builder.ConnectionString;
    }

    /// <summary>
    /// Opens a connection to the target database, waiting for the server. Returns null when the database does not
    /// exist and <paramref name="createIfMissing"/> is false; <see cref="OpenedConnection.CreatedDatabase"/> says
    /// whether this call created it.
    /// </summary>
    public async Task<OpenedConnection?> OpenAsync(bool createIfMissing, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var limit = _options.Options.ServerWaitLimit;
        var delay = FirstDelay;
        var created = false;
        for (var attempt = 1; ; attempt++)
        {
            // One attempt may not outlast the wait: a server that accepts TCP and never answers is cut at the limit.
            using var attemptLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptLimit.CancelAfter(Max(limit - clock.Elapsed, TimeSpan.FromMilliseconds(1)));
            try
            {
                var connection = await OpenWithinAsync(limit - clock.Elapsed, attemptLimit.Token);
                if (attempt > 1)
                    _logger.ConnectedAfter(Host, Port, attempt, clock.ElapsedMilliseconds);
                return new OpenedConnection(connection, created);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                if (!createIfMissing)
                    return null;
                created = await CreateDatabaseAsync(cancellationToken);
                attempt = 0;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && (IsTransient(e) || IsAttemptCut(e)))
            {
                var reason = IsAttemptCut(e) ? "no answer before the wait limit" : Reason(e);
                var remaining = limit - clock.Elapsed;
                if (remaining <= TimeSpan.Zero)
                    throw MigratorException.Failure(
                        $"Cannot reach PostgreSQL at {Describe} after {attempt} attempt(s) in {clock.Elapsed.TotalSeconds:0.#} s: {reason}",
                        PostgresErrorHints.For("08000"), e);
                var wait = delay < remaining ? delay : remaining;
                _logger.ConnectAttemptFailed(attempt, Host, Port, Database, reason, (int)wait.TotalMilliseconds);
                await Task.Delay(wait, cancellationToken);
                delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
            }
            catch (PostgresException e)
            {
                throw MigratorException.Failure(
                    $"PostgreSQL at {Describe} refused the connection: {e.SqlState} {e.MessageText}",
                    PostgresErrorHints.For(e.SqlState, e), e, e.SqlState);
            }
            catch (NpgsqlException e)
            {
                throw MigratorException.Failure($"Cannot connect to PostgreSQL at {Describe}: {Reason(e)}", PostgresErrorHints.For(e), e);
            }
        }
    }

    /// <summary>
    /// One attempt, given up when <paramref name="remaining"/> has passed: Npgsql does not cancel a connect that is
    /// waiting for the server's first answer, so an attempt still running then is left to its own timeout.
    /// </summary>
    private async Task<NpgsqlConnection> OpenWithinAsync(TimeSpan remaining, CancellationToken cancellationToken)
    {
        var open = _dataSource.OpenConnectionAsync(cancellationToken).AsTask();
        if (await Task.WhenAny(open, Task.Delay(Max(remaining, TimeSpan.Zero), cancellationToken)) == open)
            return await open;
        _ = open.ContinueWith(static t =>
        {
            if (t.IsCompletedSuccessfully)
                t.Result.Dispose();
            else
                _ = t.Exception; // observed: the attempt was abandoned
        }, TaskScheduler.Default);
        throw new AttemptAbandonedException();
    }

    /// <summary>Creates the database via the <c>postgres</c> maintenance database; false when another session just did.</summary>
    private async Task<bool> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(_target.ConnectionString) { Database = "postgres" };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {PostgresIdentifier.Quote(Database)}", connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            _logger.DatabaseCreated(Database, Host, Port);
            return true;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another migrator created it at the same moment: fine.
            _logger.DatabaseCreatedConcurrently(Database);
            return false;
        }
        catch (PostgresException e)
        {
            throw MigratorException.Failure($"Cannot create database \"{Database}\" on {Host}:{Port}: {e.SqlState} {e.MessageText}",
                PostgresErrorHints.For(e.SqlState, e), e, e.SqlState);
        }
    }

    private static bool IsAttemptCut(Exception e) =>
        e is OperationCanceledException or AttemptAbandonedException or NpgsqlException { InnerException: OperationCanceledException };

    private sealed class AttemptAbandonedException : Exception;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
            or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException { InnerException: SocketException or TimeoutException or IOException } => true,
        NpgsqlException npgsql => npgsql.IsTransient,
        SocketException or TimeoutException => true,
        _ => false,
    };

    private static string Reason(Exception e) => e switch
    {
        PostgresException pg => $"{pg.SqlState} {pg.MessageText}",
        { InnerException: SocketException s } => s.Message,
        { InnerException: TimeoutException } => "connection timed out",
        _ => e.Message,
    };

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
            await _dataSource.DisposeAsync();
    }
}

/// <summary>An open connection to the target, and whether opening it created the database.</summary>
internal sealed record OpenedConnection(NpgsqlConnection Connection, bool CreatedDatabase);
