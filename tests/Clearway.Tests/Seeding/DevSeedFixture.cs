using Clearway.Seeding;
using Clearway.Testing.Xunit;
using Clearway.Tests.Infrastructure;

namespace Clearway.Tests.Seeding;

/// <summary>One database seeded with the dev profile (seed 42, as-of 2026-06-15), shared by the invariant tests.</summary>
public sealed class DevSeedFixture(ClearwayFixture fixture) : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("not initialised");

    public SeedResult Result { get; private set; } = null!;

    public static string AsOf => SeedDatabase.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask InitializeAsync()
    {
        _database = await SeedDatabase.CreateAsync(fixture.Factory);
        Result = await _database.SeedAsync(SeedDatabase.Options(SeedProfile.Dev));
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}
