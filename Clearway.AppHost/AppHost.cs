using Clearway.AppHost;

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
    return 2;
}

// Seed options, overridable like any parameter: user secrets, env Parameters__seed-profile, or
// `dotnet run --project Clearway.AppHost -- --Parameters:seed-profile=tiny`. Defaults in appsettings.json.
var seedProfile = builder.AddParameter("seed-profile");
var seedValue = builder.AddParameter("seed-value");

var clearway = builder.AddClearwayDatabase(settings.Postgres)
    .WithRefreshMaterializedViewsCommand();

// Migrate, verify, exit 0 (non-zero on failure, so nothing below starts).
var migrations = builder.AddProject<Projects.Clearway_MigrationService>("migrations")
    .WithReference(clearway)
    .WaitFor(clearway);

// Seed once the schema is in place; skips when the database is already seeded with the same plan.
builder.AddProject<Projects.Clearway_Seeder>("seeder")
    .WithReference(clearway)
    .WaitForCompletion(migrations)
    .WithArgs("--profile", seedProfile, "--seed", seedValue);

await builder.Build().RunAsync();
return 0;
