using Clearway;
using Clearway.CommandLine;
using Clearway.Hosting;
using Clearway.States.Hosting;
using Microsoft.Extensions.Hosting;

// The seeder worker: a thin host around Clearway.Seeding's SeedRunner. Exit codes: 0 seeded or skipped,
// 1 failure, 2 bad input or refusal (each with one line on stderr).
var seed = new SeedOptionSet();
var mode = new SeedModeOptions();
var root = CommandLineProgram.Root("clearway-seeder",
    $"Seeds the Clearway database ({ClearwayConnectionString.EnvironmentVariable}): skipped when it already holds exactly this seed.\n" +
    "Any --Section:Key value sets configuration (Seeder:Profile, Seeder:Seed, ...).\n" +
    "Exit codes: 0 seeded or skipped, 1 failure, 2 bad input or refusal (nothing written).");
foreach (var option in seed.All)
    root.Options.Add(option);
mode.AddTo(root);
root.SetAction(async (parsed, ct) =>
{
    // appsettings.json beside the worker whatever the current directory (DCP runs it from the repository root).
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddServiceDefaults();
    builder.Logging.AddWorkerConsole();
    builder.AddClearwaySeeder(options => mode.ApplyTo(parsed, seed, options));
    using var host = builder.Build();
    return await host.RunToCompletionAsync(ct);
});
return await CommandLineProgram.RunAsync("clearway-seeder", root.PassedToHost(), args);
