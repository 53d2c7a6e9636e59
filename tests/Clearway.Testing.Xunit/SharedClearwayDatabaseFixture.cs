using Clearway.Testing.Databases;
using Xunit;

namespace Clearway.Testing.Xunit;

/// <summary>
/// A class or collection fixture holding one <see cref="SharedClearwayDatabase"/> (tiny seed by default; derive
/// and override <see cref="Options"/> for another). Tests sharing it must not run in parallel with each other:
/// put them in one class or one collection, and call <see cref="SharedClearwayDatabase.ResetAsync"/> where a test
/// needs the seeded state back.
/// </summary>
public class SharedClearwayDatabaseFixture : IAsyncLifetime
{
    private SharedClearwayDatabase? _database;

    protected virtual ClearwayDatabaseOptions Options => ClearwayDatabaseOptions.Seeded(Seeding.SeedProfile.Tiny);

    public SharedClearwayDatabase Database => _database ?? throw new InvalidOperationException("The shared database is not created yet.");

    public async ValueTask InitializeAsync() =>
        _database = await ClearwayFixture.Current.Factory.CreateSharedDatabaseAsync(Options, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
            await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
