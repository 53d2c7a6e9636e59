using Xunit;
using Clearway.Testing.Databases;

namespace Clearway.Testing.Xunit;

/// <summary>
/// The xUnit v3 assembly fixture: one PostgreSQL server and one database factory for the whole test run.
/// Register it once: <c>[assembly: AssemblyFixture(typeof(Clearway.Testing.Xunit.ClearwayFixture))]</c>,
/// then call <see cref="ClearwayDatabase.CreateAsync(ClearwayDatabaseOptions?)"/> from any test, or inject it.
/// </summary>
public sealed class ClearwayFixture : IAsyncLifetime
{
    private static ClearwayFixture? _current;
    private ClearwayDatabaseFactory? _factory;

    public PostgresServer Server => Factory.Server;

    public ClearwayDatabaseFactory Factory =>
        _factory ?? throw new InvalidOperationException("The Clearway fixture is not initialised yet.");

    internal static ClearwayFixture Current =>
        _current ?? throw new InvalidOperationException(
            "No Clearway fixture is running: add [assembly: AssemblyFixture(typeof(Clearway.Testing.Xunit.ClearwayFixture))] to the test project.");

    public async ValueTask InitializeAsync()
    {
        FailedAssertions.Install();
        _factory = new ClearwayDatabaseFactory(await SharedPostgresServer.AcquireAsync());
        _current = this;
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is null)
            return;
        _current = null;
        await _factory.DisposeAsync();
        await SharedPostgresServer.ReleaseAsync();
    }
}
