using Clearway;
using Clearway.CommandLine;
using Clearway.DatabaseManager;
using Clearway.Hosting;

// The database manager: the dev database's long-running worker. It refreshes both materialized views on a schedule and
// serves the dashboard's database commands (ManagerEndpoints).
var every = IntervalOption.WithDefault();
var root = CommandLineProgram.Root("clearway-dbmanager",
    $"Refreshes both Clearway materialized views CONCURRENTLY on a schedule and serves the dashboard's database commands ({ClearwayConnectionString.EnvironmentVariable}).");
root.Options.Add(every);
root.SetAction(async (parsed, ct) =>
{
    // appsettings.json beside the worker whatever the current directory (DCP runs it from the repository root).
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddServiceDefaults();
    builder.Logging.AddWorkerConsole();
    builder.AddDatabaseManager(parsed.GetValue(every));
    var app = builder.Build();
    app.MapDefaultEndpoints();
    app.MapManagerEndpoints();
    return await app.RunServiceAsync(ct);
});
return await CommandLineProgram.RunAsync("clearway-dbmanager", root.PassedToHost(), args);
