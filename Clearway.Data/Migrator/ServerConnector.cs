using System.Diagnostics;
using System.Net.Sockets;
using Clearway.Data.Schema;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>
/// Opens connections to the target database: waits for the server with exponential backoff (bounded by
/// <see cref="MigratorOptions.ServerWaitLimit"/>), creates the database when asked, fails fast on bad credentials.
/// Connections are unpooled so that a session-level advisory lock dies with its connection.
/// </summary>
internal sealed class ServerConnector
{
    internal const string ApplicationName = "clearway-migrator";
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private readonly MigratorOptions _options;
    private readonly ILogger _logger;
    private readonly NpgsqlConnectionStringBuilder _target;
    private readonly string _attemptConnectionString;

    public ServerConnector(MigratorOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _target = MigratorOptions.ParseConnectionString(options.ConnectionString);
        _target.Pooling = false;
        _target.IncludeErrorDetail = true;
        if (string.IsNullOrEmpty(_target.ApplicationName))
            _target.ApplicationName = ApplicationName;
        // Each attempt gives up quickly so that the bounded wait, not one hung attempt, decides.
        _attemptConnectionString = new NpgsqlConnectionStringBuilder(_target.ConnectionString)
        {
            Timeout = Math.Clamp(_target.Timeout, 1, 15),
        }.ConnectionString;
    }

    public string Host => _target.Host!;
    public int Port => _target.Port;
    public string Database => _target.Database!;
    public string Describe => $"{Host}:{Port}, database \"{Database}\"";

    /// <summary>The target's connection string as the migrator uses it (unpooled, with error detail).</summary>
    public string ConnectionString => _target.ConnectionString;

    /// <summary>
    /// Opens a connection to the target database, waiting for the server. Returns null when the database does not
    /// exist and <paramref name="createIfMissing"/> is false.
    /// </summary>
    public async Task<NpgsqlConnection?> OpenAsync(bool createIfMissing, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            var connection = new NpgsqlConnection(_attemptConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                if (attempt > 1)
                    _logger.ConnectedAfter(Host, Port, attempt, clock.ElapsedMilliseconds);
                return connection;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                await connection.DisposeAsync();
                if (!createIfMissing)
                    return null;
                await CreateDatabaseAsync(cancellationToken);
                attempt = 0;
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                await connection.DisposeAsync();
                var remaining = _options.ServerWaitLimit - clock.Elapsed;
                if (remaining <= TimeSpan.Zero)
                    throw MigratorException.Failure(
                        $"Cannot reach PostgreSQL at {Describe} after {attempt} attempts in {clock.Elapsed.TotalSeconds:0.#} s: {Reason(e)}",
                        PostgresErrorHints.For("08000"), e);
                var wait = delay < remaining ? delay : remaining;
                _logger.ConnectAttemptFailed(attempt, Host, Port, Database, Reason(e), (int)wait.TotalMilliseconds);
                await Task.Delay(wait, cancellationToken);
                delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
            }
            catch (PostgresException e)
            {
                await connection.DisposeAsync();
                throw MigratorException.Failure(
                    $"PostgreSQL at {Describe} refused the connection: {e.SqlState} {e.MessageText}",
                    PostgresErrorHints.For(e.SqlState, e), e, e.SqlState);
            }
            catch (NpgsqlException e)
            {
                await connection.DisposeAsync();
                throw MigratorException.Failure($"Cannot connect to PostgreSQL at {Describe}: {Reason(e)}", PostgresErrorHints.For(e), e);
            }
        }
    }

    /// <summary>Runs a command on the <c>postgres</c> maintenance database (same server and credentials).</summary>
    private async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(_target.ConnectionString) { Database = "postgres" };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {PostgresIdentifier.Quote(Database)}", connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            _logger.DatabaseCreated(Database, Host, Port);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another migrator created it at the same moment: fine.
            _logger.DatabaseCreatedConcurrently(Database);
        }
        catch (PostgresException e)
        {
            throw MigratorException.Failure($"Cannot create database \"{Database}\" on {Host}:{Port}: {e.SqlState} {e.MessageText}",
                PostgresErrorHints.For(e.SqlState, e), e, e.SqlState);
        }
    }


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

}
