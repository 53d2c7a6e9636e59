using Clearway.Postgres;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Clearway.Data.Schema;
using Npgsql;

namespace Clearway.Testing;

/// <summary>
/// A PostgreSQL server for tests: the one named by <c>CLEARWAY_TEST_POSTGRES</c> (an admin connection string),
/// or a private, throw-away server started from the local PostgreSQL binaries.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Environment variable holding an admin connection string to an existing server.</summary>
    internal const string EnvironmentVariable = "CLEARWAY_TEST_POSTGRES";

    internal const string MissingBinariesMessage =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin: " +
        "install them (apt-get install postgresql) or set " + EnvironmentVariable +
        " to an admin connection string (e.g. Host=localhost;Username=postgres;Password=...).";

    private static readonly ConcurrentDictionary<PostgresServer, byte> Live = new();

    private readonly PrivateServer? _private;
    private int _disposed;

    static PostgresServer()
    {
        // Best effort for runs that end without disposing (the watchdog covers crashes and kills).
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in Live.Keys)
                server._private?.Stop();
        };
    }

    private PostgresServer(string adminConnectionString, string? binDirectory, PrivateServer? privateServer)
    {
        AdminConnectionString = adminConnectionString;
        BinDirectory = binDirectory;
        _private = privateServer;
    }

    /// <summary>True when this object started the server (and will stop it on dispose).</summary>
    public bool IsPrivate => _private is not null;

    /// <summary>Superuser connection string to the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Where initdb/pg_ctl/pg_dump/psql were found; null for an external server without local binaries.</summary>
    public string? BinDirectory { get; }

    /// <summary>The private server's directory (data, socket, log); null when external.</summary>
    internal string? RootDirectory => _private?.Root;

    /// <summary>The private server's postmaster process id; null when external.</summary>
    internal int? PostmasterPid => _private?.PostmasterPid;

    /// <summary>How long <see cref="StartAsync"/> took.</summary>
    internal TimeSpan StartupTime { get; private set; }

    /// <summary>
    /// Uses the server in <c>CLEARWAY_TEST_POSTGRES</c> when set (never stopped by us); otherwise starts a private
    /// server from local binaries.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(PostgresServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PostgresServerOptions();
        var stopwatch = Stopwatch.StartNew();
        var external = options.IgnoreExternalServer
            ? null
            : (options.ExternalConnectionString ?? (() => Environment.GetEnvironmentVariable(EnvironmentVariable)))();
        var locate = options.BinDirectoryLocator ?? PostgresBinaries.Locate;

        PostgresServer server;
        if (!string.IsNullOrWhiteSpace(external))
        {
            server = await StartExternalAsync(external, locate(), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var bin = locate() ?? throw new InvalidOperationException(MissingBinariesMessage);
            var privateServer = await PrivateServer.StartAsync(bin, options, cancellationToken).ConfigureAwait(false);
            server = new PostgresServer(privateServer.AdminConnectionString, bin, privateServer);
            Live[server] = 0;
        }
        server.StartupTime = stopwatch.Elapsed;
        return server;
    }

    private static async Task<PostgresServer> StartExternalAsync(string connectionString, string? bin, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"{EnvironmentVariable} is not a valid connection string: {ex.Message}", ex);
        }
        if (string.IsNullOrEmpty(builder.Database))
            builder.Database = "postgres";

        var conn = new NpgsqlConnection(builder.ConnectionString);
        await using (conn.ConfigureAwait(false))
        {
            try
            {
                await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                throw new InvalidOperationException(
                    $"Cannot connect to the server in {EnvironmentVariable} (Host={builder.Host};Port={builder.Port};Username={builder.Username}): {ex.Message}", ex);
            }
        }
        return new PostgresServer(builder.ConnectionString, bin, privateServer: null);
    }

    /// <summary>The admin connection string with another database.</summary>
    public string ConnectionStringFor(string database)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>Creates a database (named <c>clearway_test_&lt;random&gt;</c> when <paramref name="name"/> is null) and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        name ??= "clearway_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await ExecuteAsync($"CREATE DATABASE {PostgresIdentifier.Quote(name)}", cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>Drops a database, disconnecting its sessions (<c>WITH (FORCE)</c>); a missing database is ignored.</summary>
    public async Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await ExecuteAsync($"DROP DATABASE IF EXISTS {PostgresIdentifier.Quote(name)} WITH (FORCE)", cancellationToken).ConfigureAwait(false);
        // Pooled connections to the dropped database are dead: do not hand them out again.
        using var stale = new NpgsqlConnection(ConnectionStringFor(name));
        NpgsqlConnection.ClearPool(stale);
    }

    /// <summary>Stops a private server (fast shutdown, then kill) and deletes its directory; nothing for an external one.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || _private is null)
            return;
        try
        {
            await Task.Run(_private.Stop).ConfigureAwait(false);
        }
        finally
        {
            Live.TryRemove(this, out _);
        }
    }

    internal async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        var conn = new NpgsqlConnection(AdminConnectionString);
        await using (conn.ConfigureAwait(false))
        {
            await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
            var cmd = new NpgsqlCommand(sql, conn);
            await using (cmd.ConfigureAwait(false))
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

}
