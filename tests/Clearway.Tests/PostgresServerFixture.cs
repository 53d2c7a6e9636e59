using Clearway.Testing;

[assembly: AssemblyFixture(typeof(Clearway.Tests.PostgresServerFixture))]

namespace Clearway.Tests;

/// <summary>
/// One PostgreSQL server for the whole test run (external via CLEARWAY_TEST_POSTGRES, else private).
/// Inject it into a test class constructor; give each test its own database (CreateDatabaseAsync).
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server fixture is not started.");

    public async ValueTask InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
