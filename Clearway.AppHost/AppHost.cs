using Clearway.AppHost;
using Clearway.Postgres;
using Microsoft.Extensions.DependencyInjection;

// Clearway's dev environment: PostgreSQL -> migrations (run to completion) -> seeder, in the Aspire dashboard.
// Resource names are shared with every host (docs/architecture.md): postgres, clearway, migrations, seeder.
var builder = DistributedApplication.CreateBuilder(args);

AppHostSettings settings;
try
{
    settings = AppHostSettings.Read(builder.Configuration);
}
catch (AppHostSettingsException e)
{
    await Console.Error.WriteLineAsync($"Clearway.AppHost: {e.Message}");
    return Clearway.Data.ExitCodes.Refused;
}

// Seed options, overridable like any parameter: user secrets, env Parameters__seed-profile, or
// `dotnet run --project Clearway.AppHost -- --Parameters:seed-profile=tiny`. Defaults in appsettings.json.
var seedProfile = builder.AddParameter("seed-profile");
var seedValue = builder.AddParameter("seed-value");
// How often the views worker refreshes the materialized views: 1h as in production, e.g. 5m for a demo.
var viewsInterval = builder.AddParameter("views-interval");

IResourceBuilder<IResourceWithConnectionString> clearway;
try
{
    clearway = builder.AddClearwayDatabase(settings.Postgres);
}
catch (PostgresStartException e)
{
    // Mode local: the server's directory is refused (in use, not ours, unreachable) or initdb failed.
    await Console.Error.WriteLineAsync($"Clearway.AppHost: {e.Message}");
    return e is PostgresStartRefusedException ? 2 : 1;
}

// Migrate, verify, exit 0 (non-zero on failure, so nothing below starts).
var migrations = builder.AddProject<Projects.Clearway_MigrationService>("migrations")
    .WithReference(clearway)
    .WaitFor(clearway);

// Seed once the schema is in place; skips when the database is already seeded with the same plan.
var seeder = builder.AddProject<Projects.Clearway_Seeder>("seeder")
    .WithReference(clearway)
    .WaitForCompletion(migrations);
// A seed chosen since with Reseed… (another profile, say) is kept at the next start instead of refused.
IReadOnlyList<object> seedArguments = ["--profile", seedProfile.Resource, "--seed", seedValue.Resource, "--keep-existing"];

// The hourly job: both views refreshed CONCURRENTLY on a schedule; its health says how stale they are.
var views = builder.AddProject<Projects.Clearway_ViewRefreshService>("views")
    .WithReference(clearway)
    .WaitForCompletion(seeder)
    .WithArgs("--every", viewsInterval)
    .WithHttpEndpoint()
    .WithHealthCheck(ViewsFreshnessCheck.Name);
builder.Services.AddHealthChecks().Add(new(ViewsFreshnessCheck.Name, _ => new ViewsFreshnessCheck(views.GetEndpoint("http")), null, null));

// Reseed…, Reset database, Verify schema, Refresh materialized views: each runs the resources above or their verbs.
builder.AddDatabaseCommands(clearway, migrations, seeder, views, seedArguments);

await builder.Build().RunAsync();
return 0;
