namespace Clearway.AppHost;

/// <summary>The <c>clearway</c> database, from wherever <see cref="PostgresSettings.Mode"/> says.</summary>
internal static class ClearwayPostgres
{
    public const string ServerName = "postgres";
    public const string DatabaseName = "clearway";

    public static IResourceBuilder<IResourceWithConnectionString> AddClearwayDatabase(this IDistributedApplicationBuilder builder, PostgresSettings settings) =>
        settings.Mode switch
        {
            PostgresMode.External => builder.AddConnectionString(DatabaseName),
            PostgresMode.Local => builder.AddLocalPostgres(settings),
            _ => builder.AddPostgresContainer(settings),
        };

    /// <summary>
    /// <c>postgres</c> with a fixed secret password (a generated one breaks a reused data volume: 28P01, aspire#3669),
    /// a data volume and persistent lifetime so restarts keep the data (migrations apply nothing, the seeder skips).
    /// </summary>
    private static IResourceBuilder<IResourceWithConnectionString> AddPostgresContainer(this IDistributedApplicationBuilder builder, PostgresSettings settings)
    {
        var password = builder.AddParameter(
            "postgres-password",
            new GenerateParameterDefault { MinLength = 22, Special = false },
            secret: true,
            persist: true);

        var postgres = builder.AddPostgres(ServerName, password: password)
            .WithImage(settings.Image, settings.Tag)
            .WithImageRegistry(string.IsNullOrWhiteSpace(settings.Registry) ? null : settings.Registry)
            // After the image: the volume's mount path depends on the major in the tag.
            .WithDataVolume(string.IsNullOrEmpty(settings.DataVolume) ? null : settings.DataVolume)
            .WithLifetime(ContainerLifetime.Persistent);
        if (settings.PgAdmin)
            postgres.WithPgAdmin();

        return postgres.AddDatabase(DatabaseName);
    }
}
