using Clearway.Hosting;
using Clearway.TestDatabases;
using Microsoft.Extensions.DependencyInjection;

namespace Clearway.AppHost;

/// <summary>
/// Clearway's dev environment as an Aspire app model: PostgreSQL → <c>migrations</c> (run to completion) → <c>seeder</c>
/// (run to completion) → <c>dbmanager</c> (long-running: the views schedule and the dashboard's database commands).
/// </summary>
internal static class ClearwayAppModel
{
    public static void AddClearway(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        // Seed options, overridable like any parameter: user secrets, env Parameters__seed-profile, or
        // `dotnet run --project Clearway.AppHost -- --Parameters:seed-profile=tiny`. Defaults in appsettings.json.
        var seedProfile = builder.AddParameter("seed-profile");
        var seedValue = builder.AddParameter("seed-value");
        // How often the manager refreshes the materialized views: 1h as in production, e.g. 5m for a demo.
        var viewsInterval = builder.AddParameter("views-interval");
        // What the dashboard's commands show the manager; a new one at every start, kept nowhere.
        var commandKey = builder.AddParameter("command-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

        var clearway = builder.AddClearwayDatabase(settings.Postgres);
        var url = new DatabaseUrlValue(clearway.Resource);

        // Migrate, verify, exit 0 (non-zero on failure, so nothing below starts).
        var migrations = builder.AddProject<Projects.Clearway_MigrationService>(ResourceNames.Migrations)
            .WithClearway(clearway, url)
            .WaitFor(clearway);

        // Seed once the schema is in place; skips when the database is already seeded with the same plan. A seed chosen
        // since with Reseed… (another profile, say) is kept at the next start instead of refused.
        var seeder = builder.AddProject<Projects.Clearway_Seeder>(ResourceNames.Seeder)
            .WithClearway(clearway, url)
            .WaitForCompletion(migrations);
        IReadOnlyList<object> seedArguments = ["--profile", seedProfile.Resource, "--seed", seedValue.Resource, "--keep-existing"];

        // The long-running manager: both views refreshed CONCURRENTLY on a schedule (its health says how stale they
        // are), and the dashboard's HTTP commands.
        var manager = builder.AddProject<Projects.Clearway_DatabaseManager>(ResourceNames.Manager)
            .WithClearway(clearway, url)
            .WaitForCompletion(seeder)
            .WithArgs("--every", viewsInterval)
            // The default recipe, which Reset database puts back: the seeder's.
            .WithEnvironment("Seeder__Profile", seedProfile)
            .WithEnvironment("Seeder__Seed", seedValue)
            .WithEnvironment(ManagerApi.CommandKeySetting.Replace(":", "__", StringComparison.Ordinal), commandKey)
            .WithHttpEndpoint()
            .WithHealthCheck(ManagerHealthProbe.Name);
        builder.Services.AddHealthChecks().Add(new(ManagerHealthProbe.Name, _ => new ManagerHealthProbe(manager.GetEndpoint("http")), null, null));

        // A fresh database per test over HTTP for the app's own tests (IntegreSQL's API), on the same server, with its own databases.
        var testToken = builder.AddParameter("testdbs-token", new GenerateParameterDefault { MinLength = 32, Special = false, Upper = false }, secret: true, persist: true);
        var testdbs = builder.AddProject<Projects.Clearway_Cli>(ResourceNames.TestDatabases)
            .WithArgs("test-server")
            .WithClearway(clearway, url)
            .WaitFor(clearway)
            .WithEnvironment(TestDatabaseOptions.Section.Replace(":", "__", StringComparison.Ordinal) + "__Token", testToken)
            .WithHttpEndpoint();
        testdbs.OnBeforeResourceStarted(async (resource, e, ct) =>
        {
            // The base URL clients take holds the token: shown hidden, like the connection string.
            var baseUrl = $"{testdbs.GetEndpoint("http").Url}/{await testToken.Resource.GetValueAsync(ct)}/";
            await e.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(resource, s => s with
            {
                Properties = [.. s.Properties.Where(p => p.Name != "clearway.testdbs.url"), new("clearway.testdbs.url", baseUrl) { DisplayName = "Base URL (IntegreSQL)", IsSensitive = true }],
            });
        });

        builder.AddDatabaseCommands(new DatabaseResources(clearway, migrations, seeder, manager, commandKey, url), seedArguments);
    }

    /// <summary>The database as every host reads it: <c>ConnectionStrings__clearway</c> (.NET) and <c>DATABASE_URL</c> (Node, Prisma).</summary>
    public static IResourceBuilder<T> WithClearway<T>(this IResourceBuilder<T> resource, IResourceBuilder<IResourceWithConnectionString> clearway, DatabaseUrlValue url)
        where T : IResourceWithEnvironment =>
        resource.WithReference(clearway).WithEnvironment(DatabaseUrl.EnvironmentVariable, ReferenceExpression.Create($"{url}"));
}

/// <summary>The resources the dashboard's database commands run or call.</summary>
internal sealed record DatabaseResources(
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<ProjectResource> Migrations,
    IResourceBuilder<ProjectResource> Seeder,
    IResourceBuilder<ProjectResource> Manager,
    IResourceBuilder<ParameterResource> CommandKey,
    DatabaseUrlValue Url);
