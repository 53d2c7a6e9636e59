using Clearway.States;

namespace Clearway.Testing.Databases;

public sealed record ClearwayDatabaseFactoryOptions
{
    /// <summary>Clones kept ready per template. 0 turns the warm pool off.</summary>
    public int PoolSize { get; init; } = 2;

    /// <summary>The template store's limits and clone strategy (the same store the seeder, the dashboard and the CLI use).</summary>
    public TemplateStoreOptions Store { get; init; } = new();

    /// <summary>Keep the database of a failed test (default: env <c>CLEARWAY_KEEP_FAILED_DATABASES=1</c>).</summary>
    public bool KeepFailedDatabases { get; init; } = Environment.GetEnvironmentVariable("CLEARWAY_KEEP_FAILED_DATABASES") is "1" or "true";
}
