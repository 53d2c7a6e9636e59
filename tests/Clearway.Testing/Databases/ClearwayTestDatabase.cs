using Clearway.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.Testing.Databases;

/// <summary>
/// A database of one test's own: migrated (and seeded, if asked), cloned from a template. Dropped on dispose,
/// unless <see cref="Keep"/> was called or the test it belongs to failed while keeping failed databases is on.
/// </summary>
public sealed class ClearwayTestDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private readonly Func<bool>? _keepWhen;
    private readonly ILogger _logger;
    private readonly Action<ClearwayTestDatabase> _onDisposed;
    private bool _keep;
    private int _disposed;

    internal ClearwayTestDatabase(PostgresServer server, string name, ClearwayDatabaseOptions options, bool warm, TimeSpan handOut,
        Func<bool>? keepWhen, ILogger logger, Action<ClearwayTestDatabase> onDisposed)
    {
        _server = server;
        Name = name;
        Options = options;
        WasWarm = warm;
        HandOutTime = handOut;
        _keepWhen = keepWhen;
        _logger = logger;
        _onDisposed = onDisposed;
        ConnectionString = server.ConnectionStringFor(name);
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public ClearwayDatabaseOptions Options { get; }

    /// <summary>True when the database came ready-made from the warm pool.</summary>
    public bool WasWarm { get; }

    /// <summary>How long the test waited for this database.</summary>
    public TimeSpan HandOutTime { get; }

    public ClearwayDbContext CreateDbContext() => new(ClearwayNpgsql.Options(ConnectionString));

    /// <summary>A data source with Clearway's enum types mapped; dispose it.</summary>
    public NpgsqlDataSource CreateDataSource() => ClearwayNpgsql.CreateDataSource(ConnectionString);

    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Leaves the database on the server after dispose, for inspection.</summary>
    public void Keep() => _keep = true;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _onDisposed(this);
        if (_keep || _keepWhen?.Invoke() == true)
        {
            Log.KeptDatabase(_logger, Name, ConnectionString);
            return;
        }
        using (var connection = new NpgsqlConnection(ConnectionString))
            NpgsqlConnection.ClearPool(connection);
        await _server.DropDatabaseAsync(Name);
    }
}
