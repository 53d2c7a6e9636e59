using Clearway.AppHost;
using Microsoft.Extensions.Configuration;

// Clearway's dev environment: PostgreSQL -> migrations (run to completion) -> seeder, in the Aspire dashboard.
// Resource names are shared with every host (ARCHITECTURE.md): postgres, clearway, migrations, seeder.
var builder = DistributedApplication.CreateBuilder(args);

// Seed options, overridable like any parameter: user secrets, env Parameters__seed-profile, or
// `dotnet run --project Clearway.AppHost -- --Parameters:seed-profile=ci`. Defaults in appsettings.json.
var seedProfile = builder.AddParameter("seed-profile");
var seedValue = builder.AddParameter("seed-value");

// The database: the container, or (no Docker) an existing server when ConnectionStrings:clearway is configured.
var clearway = string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("clearway"))
    ? builder.AddClearwayPostgres()
    : builder.AddConnectionString("clearway");

clearway.WithRefreshMaterializedViewsCommand();

// Migrate, verify, exit 0 (non-zero on failure, so nothing below starts).
var migrations = builder.AddProject<Projects.Clearway_MigrationService>("migrations")
    .WithReference(clearway)
    .WaitFor(clearway);

// Seed once the schema is in place; skips when the database is already seeded with the same plan.
var seeder = builder.AddProject<Projects.Clearway_Seeder>("seeder")
    .WithReference(clearway)
    .WaitForCompletion(migrations)
    .WithArgs("--profile", seedProfile, "--seed", seedValue);

// Reseed from the dashboard without restarting the AppHost: press Start on seeder-reset.
builder.AddProject<Projects.Clearway_Seeder>("seeder-reset")
    .WithReference(clearway)
    .WaitForCompletion(migrations)
    .WithArgs("--reset", "--profile", seedProfile, "--seed", seedValue)
    .WithExplicitStart()
    .WithParentRelationship(seeder);

// Start over from empty: Start on start-over (roll every migration back), then start-over-migrate
// (waits for the rollback, migrates again), then seeder-reset.
var startOver = builder.AddProject<Projects.Clearway_MigrationService>("start-over")
    .WithReference(clearway)
    .WaitFor(clearway)
    .WithArgs("rollback", "--to", "0", "--force")
    .WithExplicitStart()
    .WithParentRelationship(migrations);

builder.AddProject<Projects.Clearway_MigrationService>("start-over-migrate")
    .WithReference(clearway)
    .WaitForCompletion(startOver)
    .WithExplicitStart()
    .WithParentRelationship(migrations);

builder.Build().Run();
