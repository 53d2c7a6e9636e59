using Clearway.CommandLine;
using Clearway.Data.Hosting;
using Clearway.Hosting;

// The migration worker: a thin host around ClearwayMigrator. No verb means migrate and verify (what the AppHost runs).
var root = CommandLineProgram.Root("clearway-migrations",
    "Migrate and verify the Clearway database (no verb: migrate), or inspect, script or roll it back.\n" +
    "Exit codes: 0 done, 1 failure, 2 bad input or refusal (nothing changed).");
MigrationVerbs.AddTo(root, async (request, _, ct) =>
{
    // appsettings.json beside the worker whatever the current directory (DCP runs it from the repository root).
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddServiceDefaults();
    builder.Logging.AddWorkerConsole(stdoutCarriesData: request.IsOffline);
    builder.AddClearwayMigrator(request);
    using var host = builder.Build();
    return await host.RunToCompletionAsync(ct);
}, parentMigrates: true);
return await CommandLineProgram.RunAsync("clearway-migrations", root.PassedToHost(), args);
