using System.CommandLine.Help;
using Clearway.Data;
using Clearway.Data.Migrator;
using Clearway.MigrationService;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// Parse first: bad input is one line on stderr and exit 2, before anything is started.
var parsed = MigrationCommandLine.Build().Parse(args);
if (parsed.Errors.Count > 0)
{
    await Console.Error.WriteLineAsync(MigrationCommandLine.Describe(parsed));
    return ExitCodes.Refused;
}
if (parsed.Action is HelpAction)
    return await parsed.InvokeAsync();
var command = MigrationCommandLine.Read(parsed);

// Content root = the app's folder, so appsettings.json is found whatever the current directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = [],
    EnvironmentName = command.Environment,
    ContentRootPath = command.ContentRoot ?? AppContext.BaseDirectory,
    ApplicationName = command.ApplicationName,
});
builder.AddServiceDefaults();
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing.AddSource(MigrationTelemetry.Name))
    .WithMetrics(metrics => metrics.AddMeter(MigrationTelemetry.Name));
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});
// `script` writes SQL to stdout for piping into psql, so every log line goes to stderr; otherwise only errors do.
builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = command.IsOffline ? LogLevel.Trace : LogLevel.Error);
builder.Services.AddMigratorSettings();
if (!command.IsOffline)
{
    // A missing or malformed connection string is bad input: one line, exit 2, nothing started.
    string connectionString;
    try
    {
        connectionString = ClearwayMigrator.PrepareConnectionString(builder.Configuration.GetConnectionString(ClearwayConnectionString.Name) ?? "");
    }
    catch (MigratorException e)
    {
        await Console.Error.WriteLineAsync($"error: {e.Message}");
        return e.ExitCode;
    }
    builder.AddNpgsqlDataSource(ClearwayConnectionString.Name, settings => settings.ConnectionString = connectionString);
}
builder.Services.AddSingleton(command);
builder.Services.AddSingleton<RunOutcome>();
builder.Services.AddHostedService<MigrationWorker>();

using var host = builder.Build();
try
{
    // What ValidateOnStart would find, as one line before the host starts (the host would log it with a stack trace).
    _ = host.Services.GetRequiredService<IOptions<MigratorSettings>>().Value;
}
catch (Exception e) when (MigratorSettingsFailure.Describe(e) is { } line)
{
    await Console.Error.WriteLineAsync($"error: {line}");
    return ExitCodes.Refused;
}
var outcome = host.Services.GetRequiredService<RunOutcome>();
await host.RunAsync();
return outcome.ExitCode;
