using Clearway.Seeding;
using Clearway.States;

namespace Clearway.Testing.Databases;

/// <summary>
/// What a test database holds. Equal options share one template database, built once per server.
/// <see cref="Profile"/> null means "migrated, not seeded", for tests that insert their own rows; <see cref="Blank"/>
/// means not even migrated, for tests of the migrator and the seeder themselves.
/// </summary>
public sealed record ClearwayDatabaseOptions
{
    /// <summary>The seed profile, or null for an empty, migrated schema.</summary>
    public SeedProfile? Profile { get; init; }

    public int Seed { get; init; } = 42;

    public double Scale { get; init; } = 1;

    /// <summary>Pinned, so a test's data does not change with the calendar.</summary>
    public DateOnly AsOf { get; init; } = new(2026, 1, 15);

    /// <summary>False for a database with nothing in it, not even the migrations (see <see cref="Blank"/>).</summary>
    public bool Migrated { get; init; } = true;

    public static ClearwayDatabaseOptions EmptySchema { get; } = new();

    /// <summary>A new database with nothing in it: created for the test, no template, no migrations.</summary>
    public static ClearwayDatabaseOptions Blank { get; } = new() { Migrated = false };

    public static ClearwayDatabaseOptions Seeded(SeedProfile profile) => new() { Profile = profile };

    /// <summary>The seeder's options for this database, or null when it is not seeded.</summary>
    public SeedOptions? ToSeedOptions() =>
        Profile is { } profile ? new SeedOptions { Profile = profile, Seed = Seed, Scale = Scale, AsOf = AsOf } : null;

    /// <summary>The template store's recipe for this database (a blank one has none).</summary>
    public StateRecipe ToRecipe() => Migrated
        ? new(ToSeedOptions())
        : throw new InvalidOperationException("A blank database is not made from a template: it has no recipe.");
}
