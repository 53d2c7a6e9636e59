using System.CommandLine;
using System.CommandLine.Help;
using Clearway.Data;
using Clearway.Seeder;
using Clearway.Seeding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// The seeder worker: a thin host around Clearway.Seeding's SeedRunner. Exit codes: 0 seeded or skipped,
// 1 failure, 2 bad input or refusal (each with one line on stderr).
const string Tool = "clearway-seeder";

var parsed = SeederCommandLine.Command.Parse(args);
if (parsed.Action is HelpAction)
    return await parsed.InvokeAsync();
var (arguments, error) = SeederCommandLine.Read(parsed);
if (arguments is null)
{
    await Console.Error.WriteLineAsync($"{Tool}: {error} (see --help)");
    return ExitCodes.Refused;
}

// Content root = the app's folder, so appsettings.json is found whatever the current directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = [.. arguments.HostArguments],
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Configuration.AddInMemoryCollection(arguments.Settings);
try
{
    ClearwayConnectionString.Parse(builder.Configuration.GetConnectionString(ClearwayConnectionString.Name));
}
catch (InvalidConnectionStringException e)
{
    await Console.Error.WriteLineAsync($"{Tool}: {e.Message}");
    return ExitCodes.Refused;
}

builder.AddServiceDefaults();
// The seed's statements run without a command timeout: a COPY, an index build or a key validation of a large
// profile takes as long as it takes (the stopping token still cancels it).
builder.AddNpgsqlDataSource(ClearwayConnectionString.Name, configureDataSourceBuilder: dataSource =>
{
    ClearwayNpgsql.MapEnums(dataSource);
    dataSource.ConnectionStringBuilder.CommandTimeout = 0;
});
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing.AddSource(SeedTelemetry.Name))
    .WithMetrics(metrics => metrics.AddMeter(SeedTelemetry.Name));
builder.Services.AddOptions<SeederSettings>().BindConfiguration(SeederSettings.Section).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<SeederSettings>, SeederSettingsValidator>();
builder.Services.AddSingleton(services => new SeedRunner(services.GetRequiredService<ILogger<SeedRunner>>()));
builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");

using var host = builder.Build();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Clearway.Seeder");
SeedOptions options;
try
{
    // Read before starting (ValidateOnStart would check it there too, logging a stack trace on the way out).
    options = host.Services.GetRequiredService<IOptions<SeederSettings>>().Value.ToSeedOptions();
    await host.StartAsync();
}
catch (Exception e) when (e is OptionsValidationException or SeedInputException)
{
    await Console.Error.WriteLineAsync($"{Tool}: {(e is OptionsValidationException v ? string.Join("; ", v.Failures) : e.Message)}");
    return ExitCodes.Refused;
}

var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
int exitCode;
try
{
    SeedRunner.EnsureNotProduction(host.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);
    var result = await host.Services.GetRequiredService<SeedRunner>()
        .RunAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), options, progress: null, stopping);
    Console.Out.WriteLine($"{Tool}: {result.Message}");
    exitCode = ExitCodes.Success;
}
catch (SeedException e)
{
    Log.Refused(logger, e.Message);
    await Console.Error.WriteLineAsync($"{Tool}: {e.Message}");
    exitCode = ExitCodes.Refused;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync($"{Tool}: cancelled; the transaction was rolled back and nothing was written");
    exitCode = ExitCodes.Failure;
}
catch (SeedConnectionLostException e)
{
    Log.Failed(logger, e);
    await Console.Error.WriteLineAsync($"{Tool}: {e.Message}");
    exitCode = ExitCodes.Failure;
}
catch (Exception e)
{
    Log.Failed(logger, e);
    await Console.Error.WriteLineAsync($"{Tool}: failed: {e.GetBaseException().Message}");
    exitCode = ExitCodes.Failure;
}
finally
{
    await host.StopAsync();
}
return exitCode;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Seeder stopped: {Reason}")]
    public static partial void Refused(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Error, "Seeding failed")]
    public static partial void Failed(ILogger logger, Exception exception);
}
