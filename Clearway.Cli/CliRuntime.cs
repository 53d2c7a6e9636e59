using System.Globalization;
using Clearway.Data.Migrator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Clearway.Cli;

/// <summary>
/// What every verb shares: the environment name, whether stdout is a terminal (live progress) or redirected
/// (plain log lines), the logger factory (all log lines go to stderr so stdout carries results only).
/// </summary>
internal sealed class CliRuntime : IDisposable
{
    private CliRuntime(bool interactive, ILoggerFactory loggerFactory, string environmentName)
    {
        Interactive = interactive;
        LoggerFactory = loggerFactory;
        EnvironmentName = environmentName;
        Logger = loggerFactory.CreateLogger("Clearway.Cli");
    }

    /// <summary>True when stdout is a terminal: live progress instead of per-step log lines.</summary>
    public bool Interactive { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Logger { get; }

    /// <summary>DOTNET_ENVIRONMENT, else ASPNETCORE_ENVIRONMENT, else Development (this is a developer tool).</summary>
    public string EnvironmentName { get; }

    public bool IsProduction => string.Equals(EnvironmentName, "Production", StringComparison.OrdinalIgnoreCase);

    public static CliRuntime Create()
    {
        var interactive = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CLEARWAY_PLAIN") is null or "" or "0";
        var factory = Microsoft.Extensions.Logging.LoggerFactory.Create(builder =>
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.ColorBehavior = Console.IsErrorRedirected ? LoggerColorBehavior.Disabled : LoggerColorBehavior.Default;
            });
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            // On a terminal the progress display replaces the informational lines; only problems are logged.
            builder.SetMinimumLevel(interactive ? LogLevel.Warning : LogLevel.Information);
            builder.AddFilter("Microsoft", LogLevel.Warning);
        });
        var environment = FirstSet("DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT") ?? Clearway.Data.Migrator.MigratorOptions.DevelopmentEnvironment;
        return new CliRuntime(interactive, factory, environment);
    }

    /// <summary>Migrator options for a connection string, as the MigrationService builds them.</summary>
    public MigratorOptions MigratorOptions(string connectionString, bool force = false, string? backupFile = null, bool confirmed = false) => new()
    {
        ConnectionString = connectionString,
        EnvironmentName = EnvironmentName,
        Confirmed = confirmed || string.Equals(Environment.GetEnvironmentVariable("CONFIRM_MIGRATION"), "yes", StringComparison.Ordinal),
        ServerWaitLimit = Limit("Migrator__ServerWaitLimit", TimeSpan.FromSeconds(60)),
        LockWaitLimit = Limit("Migrator__LockWaitLimit", TimeSpan.FromMinutes(5)),
        PgDumpPath = FirstSet("Migrator__PgDumpPath"),
        BackupFile = backupFile,
        Force = force,
    };

    public ClearwayMigrator Migrator(MigratorOptions options) => new(options, LoggerFactory.CreateLogger<ClearwayMigrator>());

    private static TimeSpan Limit(string variable, TimeSpan fallback)
    {
        var text = FirstSet(variable);
        if (text is null)
            return fallback;
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero)
            return value;
        throw CliException.Refusal($"{variable} = '{text}' is not a duration like 00:01:00.", $"fix or unset {variable}");
    }

    private static string? FirstSet(params string[] variables) =>
        variables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    public void Dispose() => LoggerFactory.Dispose();
}
