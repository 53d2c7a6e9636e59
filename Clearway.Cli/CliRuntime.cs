using Clearway.Data.Migrator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Clearway.Cli;

/// <summary>
/// What every verb shares: the environment name, whether stdout is a terminal (live progress) or redirected
/// (plain log lines), the logger factory (all log lines go to stderr so stdout carries results only).
/// </summary>
internal sealed class CliRuntime : IDisposable
{
    private readonly Lazy<MigratorSettings> _settings = new(BindSettings);

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

    /// <summary>
    /// Migrator options for a connection string, as the MigrationService builds them: <c>Migrator__*</c> settings bound
    /// from the environment by the same binder and validation; <paramref name="confirmed"/> when the CLI itself asked.
    /// </summary>
    public MigratorOptions MigratorOptions(string connectionString, bool force = false, string? backupFile = null, bool confirmed = false,
        bool overwriteBackup = false) => new()
    {
        ConnectionString = connectionString,
        Settings = _settings.Value,
        EnvironmentName = EnvironmentName,
        Confirmation = confirmed ? Clearway.Data.Migrator.MigratorOptions.ConfirmationValue : Environment.GetEnvironmentVariable("CONFIRM_MIGRATION"),
        BackupFile = backupFile,
        OverwriteBackup = overwriteBackup,
        Force = force,
    };

    public ClearwayMigrator Migrator(MigratorOptions options) => new(options, LoggerFactory.CreateLogger<ClearwayMigrator>());

    /// <summary>Binds <c>Migrator__*</c> from the environment when a verb first needs it; bad values are a one-line refusal.</summary>
    private static MigratorSettings BindSettings()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        services.AddMigratorSettings();
        using var provider = services.BuildServiceProvider();
        try
        {
            return provider.GetRequiredService<IOptions<MigratorSettings>>().Value;
        }
        catch (Exception e) when (MigratorSettingsFailure.Describe(e) is { } line)
        {
            throw CliException.Refusal(line.TrimEnd('.'), $"fix or unset the {Clearway.Data.Migrator.MigratorSettings.Section}__* variable");
        }
    }

    private static string? FirstSet(params string[] variables) =>
        variables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    public void Dispose() => LoggerFactory.Dispose();
}
