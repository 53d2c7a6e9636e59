namespace Clearway.AppHost;

/// <summary>The PostgreSQL container and the <c>clearway</c> database on it.</summary>
internal static class ClearwayPostgres
{
    /// <summary>
    /// <c>postgres</c> with a fixed secret password (a generated password breaks a reused data volume:
    /// 28P01, aspire#3669), a data volume and persistent lifetime so restarts keep the data (migrations
    /// apply incrementally, the seeder skips), and pgAdmin; then the <c>clearway</c> database.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddClearwayPostgres(this IDistributedApplicationBuilder builder)
    {
        // Parameters:postgres-password from configuration; otherwise generated once and saved to the
        // AppHost's user secrets (persist: true), so it stays the same across runs.
        var password = builder.AddParameter(
            "postgres-password",
            new GenerateParameterDefault { MinLength = 22, Special = false },
            secret: true,
            persist: true);

        var postgres = builder.AddPostgres("postgres", password: password)
            .WithDataVolume()
            .WithLifetime(ContainerLifetime.Persistent)
            .WithPgAdmin();

        return postgres.AddDatabase("clearway");
    }
}
