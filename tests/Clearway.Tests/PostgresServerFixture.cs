using Clearway.Testing;

[assembly: AssemblyFixture(typeof(Clearway.Tests.PostgresServerFixture))]
[assembly: AssemblyFixture(typeof(Clearway.Testing.Xunit.ClearwayFixture))]

namespace Clearway.Tests;

/// <summary>
/// The run's PostgreSQL server (external via CLEARWAY_TEST_POSTGRES, else private), shared with
/// <see cref="Clearway.Testing.Xunit.ClearwayFixture"/>. Inject it into a test class constructor.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server fixture is not started.");

    public async ValueTask InitializeAsync() => _server = await SharedPostgresServer.AcquireAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await SharedPostgresServer.ReleaseAsync();
    }
}
