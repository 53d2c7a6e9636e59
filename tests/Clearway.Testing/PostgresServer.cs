using System.Diagnostics;
using System.Security.Cryptography;
using Clearway.Data.Schema;
using Clearway.Postgres;
using Npgsql;

namespace Clearway.Testing;

/// <summary>
/// The PostgreSQL server of a test run: the one named by <c>CLEARWAY_TEST_POSTGRES</c> (an admin connection string,
/// never stopped by us), or a private, throwaway server started from the local binaries (Clearway.Postgres) and
/// removed on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Environment variable holding an admin connection string to an existing server.</summary>
    public const string EnvironmentVariable = "CLEARWAY_TEST_POSTGRES";

    private readonly LocalPostgresServer? _private;

    private PostgresServer(string adminConnectionString, string? binDirectory, LocalPostgresServer? privateServer, TimeSpan startupTime)
    {
        AdminConnectionString = adminConnectionString;
        BinDirectory = binDirectory;
        _private = privateServer;
        StartupTime = startupTime;
    }

    /// <summary>True when this object started the server (and will stop it on dispose).</summary>
    public bool IsPrivate => _private is not null;

    /// <summary>Superuser connection string to the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Where initdb/postgres/pg_dump/psql were found; null for an external server without local binaries.</summary>
    public string? BinDirectory { get; }

    /// <summary>The private server's directory (data, socket, log); null when external.</summary>
    internal string? RootDirectory => _private?.Cluster.Directory;

    /// <summary>The private server's postmaster process id; null when external.</summary>
    internal int? PostmasterPid => _private?.ProcessId;

    /// <summary>How long starting (or reaching) the server took.</summary>
    internal TimeSpan StartupTime { get; }

    /// <summary>The server in <c>CLEARWAY_TEST_POSTGRES</c> when it is set, else a private throwaway one.</summary>
    public static Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default) =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { } external && !string.IsNullOrWhiteSpace(external)
            ? ConnectAsync(external, cancellationToken)
            : StartPrivateAsync(binDirectory: null, cancellationToken);

    /// <summary>An existing server, given by an admin connection string (no Database: <c>postgres</c>). Never stopped by us.</summary>
    public static async Task<PostgresServer> ConnectAsync(string adminConnectionString, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(adminConnectionString);
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
        return new PostgresServer(builder.ConnectionString, PostgresBinaries.Locate(), privateServer: null, stopwatch.Elapsed);
    }

    /// <summary>
    /// A private throwaway server (temp directory, durability off, free port) from the binaries in
    /// <paramref name="binDirectory"/>, or wherever <see cref="PostgresBinaries.Locate()"/> finds them.
    /// </summary>
    public static async Task<PostgresServer> StartPrivateAsync(string? binDirectory = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var bin = binDirectory ?? PostgresBinaries.Locate();
        if (bin is null || !PostgresBinaries.HasServerBinaries(bin))
            throw new InvalidOperationException(PostgresBinaries.MissingMessage(binDirectory) +
                $" or set {EnvironmentVariable} to an admin connection string (e.g. Host=localhost;Username=postgres;Password=...).");
        var server = await LocalPostgresServer.StartTemporaryAsync(bin, cancellationToken).ConfigureAwait(false);
        return new PostgresServer(server.ConnectionString(), bin, server, stopwatch.Elapsed);
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
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        new States.StateServer(AdminConnectionString).DropAsync(name, cancellationToken);

    /// <summary>Stops a private server and deletes its directory; nothing for an external one. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_private is not null)
            await _private.DisposeAsync().ConfigureAwait(false);
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
