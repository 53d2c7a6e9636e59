using Clearway.Data;
using Clearway.Seeder;
using Clearway.Seeding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// The seeder worker: a thin shell around Clearway.Seeding's SeedRunner. Exit codes: 0 seeded or skipped,
// 1 failure, 2 bad input or refusal (each with one line on stderr).
const string Tool = "clearway-seeder";

Dictionary<string, string?> switches;
try
{
    switches = SeederArguments.Parse(args);
}
catch (SeedInputException ex)
{
    Console.Error.WriteLine($"{Tool}: {ex.Message}");
    return ExitCodes.Refused;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddInMemoryCollection(switches);
builder.AddServiceDefaults();
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing.AddSource(SeedTelemetry.Name).AddNpgsql())
    .WithMetrics(metrics => metrics.AddMeter(SeedTelemetry.Name, "Npgsql"));
builder.Logging.AddSimpleConsole(o =>
{
    o.TimestampFormat = "HH:mm:ss.fff ";
});

using var host = builder.Build();
await host.StartAsync();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Clearway.Seeder");
var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
var config = host.Services.GetRequiredService<IConfiguration>();
var exitCode = ExitCodes.Failure;
try
{
    var options = SeedOptions.Parse(
        config["Seeder:Profile"], config["Seeder:Seed"], config["Seeder:Scale"], config["Seeder:AsOf"],
        SeederArguments.ParseReset(config["Seeder:Reset"]));
    SeedRunner.EnsureNotProduction(host.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);

    var connectionString = config.GetConnectionString(ClearwayConnectionString.Name);
    if (string.IsNullOrWhiteSpace(connectionString))
        throw new SeedInputException(ClearwayConnectionString.NotSetMessage);

    // Test hook: stop after a given table, inside the open transaction, until the process is killed.
    var pauseAfter = config["Seeder:PauseAfterTable"];
    var runner = new SeedRunner(host.Services.GetRequiredService<ILogger<SeedRunner>>())
    {
        AfterTable = string.IsNullOrEmpty(pauseAfter) ? null : async (table, ct) =>
        {
            if (table.Table != pauseAfter) return;
            Console.Out.WriteLine($"{Tool}: paused after {table.Table} ({table.Rows} rows written, transaction open)");
            await Console.Out.FlushAsync(ct);
            await Task.Delay(Timeout.Infinite, ct);
        },
    };

    var result = await runner.RunAsync(connectionString, options, stopping);
    Console.Out.WriteLine($"{Tool}: {result.Message}");
    exitCode = ExitCodes.Success;
}
catch (SeedException ex)
{
    Log.Refused(logger, ex.Message);
    Console.Error.WriteLine($"{Tool}: {ex.Message}");
    exitCode = ExitCodes.Refused;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    Console.Error.WriteLine($"{Tool}: cancelled; the transaction was rolled back and nothing was written");
    exitCode = ExitCodes.Failure;
}
catch (Exception ex)
{
    Log.Failed(logger, ex);
    Console.Error.WriteLine($"{Tool}: failed: {ex.GetBaseException().Message}");
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
