using Xunit;
using Clearway.Seeding;
using Clearway.Testing.Databases;

namespace Clearway.Testing.Xunit;

/// <summary>
/// The per-test helper: <c>await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);</c>.
/// Safe under xUnit's parallel execution: every call gets a database of its own.
/// </summary>
public static class ClearwayDatabase
{
    /// <summary>A migrated database seeded with <paramref name="profile"/> (seed 42, as-of 2026-01-15).</summary>
    public static Task<ClearwayTestDatabase> CreateAsync(SeedProfile profile) => CreateAsync(ClearwayDatabaseOptions.Seeded(profile));

    /// <summary>A database as <paramref name="options"/> describe: an empty schema when null, nothing at all when <see cref="ClearwayDatabaseOptions.Blank"/>.</summary>
    public static Task<ClearwayTestDatabase> CreateAsync(ClearwayDatabaseOptions? options = null) =>
        ClearwayFixture.Current.Factory.CreateDatabaseAsync(options, FailedAssertions.ProbeForCurrentTest(), TestContext.Current.CancellationToken);

    /// <summary>A migrated database with no rows, for tests that insert their own.</summary>
    public static Task<ClearwayTestDatabase> CreateEmptyAsync() => CreateAsync(ClearwayDatabaseOptions.EmptySchema);
}
