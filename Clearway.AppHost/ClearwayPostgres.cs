using Clearway.Postgres;

namespace Clearway.AppHost;

/// <summary>The <c>clearway</c> database, from wherever <see cref="PostgresSettings.Mode"/> says.</summary>
internal static class ClearwayPostgres
{
    public const string ServerName = "postgres";

    /// <summary>Where the container finds its superuser password (a file only root in the container reads).</summary>
    private const string SecretsDirectory = "/run/clearway";
    private const string PasswordFileName = "postgres-password";

    public static IResourceBuilder<IResourceWithConnectionString> AddClearwayDatabase(this IDistributedApplicationBuilder builder, PostgresSettings settings) =>
        settings.Mode switch
        {
            PostgresMode.External => builder.AddConnectionString(ClearwayConnectionString.Name),
            PostgresMode.Local => builder.AddLocalPostgres(settings),
            _ => builder.AddPostgresContainer(settings),
        };

    /// <summary>
    /// <c>postgres</c> with a fixed secret password (a generated one breaks a reused data volume: 28P01, aspire#3669),
    /// a data volume and persistent lifetime so restarts keep the data (migrations apply nothing, the seeder skips), and
    /// the dashboard's psql shell (REPL).
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
            .WithLifetime(ContainerLifetime.Persistent)
            .WithPasswordInFile(password)
            // The statistics and slow-query plans every server Clearway starts runs with (its console log shows the plans).
            .WithArgs([.. ServerSettings.AsArguments(settings.SlowQueryMs)])
            .WithRepl();
        if (settings.PgAdmin)
            postgres.WithPgAdmin();

        return postgres.AddDatabase(ClearwayConnectionString.Name);
    }

    /// <summary>
    /// The password reaches the container as a file, never as an argument: the orchestrator creates a container with
    /// <c>docker create -e NAME=VALUE</c>, and every local account can read a process's arguments
    /// (<c>/proc/&lt;pid&gt;/cmdline</c>). The file is copied in before the container starts (<c>docker cp</c> from a tar on
    /// stdin), owned by root with mode 0400; the image's entrypoint reads <c>POSTGRES_PASSWORD_FILE</c> as root, as the
    /// official image does. The plain variable <c>AddPostgres</c> sets is removed.
    /// </summary>
    private static IResourceBuilder<PostgresServerResource> WithPasswordInFile(this IResourceBuilder<PostgresServerResource> postgres, IResourceBuilder<ParameterResource> password) =>
        postgres
            .WithContainerFiles(SecretsDirectory, async (_, ct) =>
            [
                new ContainerFile
                {
                    Name = PasswordFileName,
                    Contents = await password.Resource.GetValueAsync(ct),
                    Owner = 0,
                    Group = 0,
                    Mode = UnixFileMode.UserRead,
                },
            ])
            .WithEnvironment(context =>
            {
                context.EnvironmentVariables.Remove("POSTGRES_PASSWORD");
                context.EnvironmentVariables["POSTGRES_PASSWORD_FILE"] = $"{SecretsDirectory}/{PasswordFileName}";
            });
}
