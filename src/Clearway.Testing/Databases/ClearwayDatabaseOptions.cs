namespace Clearway.Testing.Databases;

/// <summary>
/// What a test database holds. Equal options share one template database, built once per server.
/// <see cref="Profile"/> null means "migrated, not seeded", for tests that insert their own rows.
/// </summary>
public sealed record ClearwayDatabaseOptions
{
    /// <summary>A seed profile name (<c>tiny</c>, <c>dev</c>, <c>large</c>), or null for an empty, migrated schema.</summary>
    public string? Profile { get; init; }

    public int Seed { get; init; } = 42;

    public double Scale { get; init; } = 1;

    /// <summary>Pinned, so a test's data does not change with the calendar.</summary>
    public DateOnly AsOf { get; init; } = new(2026, 1, 15);

    public static ClearwayDatabaseOptions EmptySchema { get; } = new();

    public static ClearwayDatabaseOptions Seeded(string profile) => new() { Profile = profile };
}
