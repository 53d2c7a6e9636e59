using Clearway.Data;
using Clearway.Data.Migrator;
using Clearway.MigrationService;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// Parse first: bad input is one line on stderr and exit 2, before anything is started.
MigrationCommand command;
try
{
    command = MigrationCommand.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message} {MigrationCommand.Usage}");
    return ExitCodes.Refused;
}
if (command.Help)
{
    await Console.Out.WriteLineAsync(MigrationCommand.Usage);
    return ExitCodes.Success;
}

// Content root = the app's folder, so appsettings.json is found whatever the current directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults();
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing.AddSource(MigrationTelemetry.Name).AddNpgsql())
    .WithMetrics(metrics => metrics.AddMeter(MigrationTelemetry.Name, "Npgsql"));
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});
// `script` writes SQL to stdout for piping into psql, so every log line goes to stderr; otherwise only errors do.
builder.Services.Configure<ConsoleLoggerOptions>(o =>
    o.LogToStandardErrorThreshold = command.Verb == "script" ? LogLevel.Trace : LogLevel.Error);
builder.Services.AddSingleton(command);
builder.Services.AddSingleton<RunOutcome>();
builder.Services.AddHostedService<MigrationWorker>();

using var host = builder.Build();
var outcome = host.Services.GetRequiredService<RunOutcome>();
await host.RunAsync();
return outcome.ExitCode;
