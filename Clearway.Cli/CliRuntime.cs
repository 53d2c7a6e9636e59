using Clearway.Data.Migrator;
using Clearway.States;
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
    private readonly Lazy<MigratorOptions> _options = new(() => Bind<MigratorOptions>(services => services.AddMigratorOptions()));
    private readonly Lazy<TemplateStoreOptions> _storeOptions = new(() => Bind<TemplateStoreOptions>(services =>
        services.AddOptions<TemplateStoreOptions>().BindConfiguration(TemplateStoreOptions.Section)));

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
        var environment = FirstSet("DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT") ?? Clearway.Data.Migrator.MigrationRun.DevelopmentEnvironment;
        return new CliRuntime(interactive, factory, environment);
    }

    /// <summary>
    /// A migrator run for a connection string, as the migration worker builds it: <c>Migrator__*</c> options bound from
    /// the environment by the same binder and validation; <paramref name="confirmed"/> when the CLI itself asked.
    /// </summary>
    public MigrationRun MigrationRun(string connectionString, bool force = false, string? backupFile = null, bool confirmed = false,
        bool overwriteBackup = false) => new()
    {
        ConnectionString = connectionString,
        Options = _options.Value,
        EnvironmentName = EnvironmentName,
        Confirmation = confirmed ? Clearway.Data.Migrator.MigrationRun.ConfirmationValue : Environment.GetEnvironmentVariable(Clearway.Data.Hosting.MigratorHosting.ConfirmationVariable),
        BackupFile = backupFile,
        OverwriteBackup = overwriteBackup,
        Force = force,
    };

    public ClearwayMigrator Migrator(MigrationRun options) => new(options, LoggerFactory.CreateLogger<ClearwayMigrator>());

    /// <summary>The database's states through the template store, with <c>Clearway__States__*</c> limits from the environment.</summary>
    public DatabaseStates States(string connectionString) => new(connectionString, _storeOptions.Value, LoggerFactory);

    /// <summary>Binds options from the environment (<c>Migrator__*</c>, <c>Clearway__States__*</c>) when a verb first needs them; a bad value throws, one line.</summary>
    private static T Bind<T>(Action<IServiceCollection> register) where T : class
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        register(services);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<T>>().Value;
        if (options is TemplateStoreOptions store && store.Problem() is { } problem)
            throw CliException.Refusal(problem, "fix or unset the Clearway__States__* variable");
        return options;
    }

    private static string? FirstSet(params string[] variables) =>
        variables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    public void Dispose() => LoggerFactory.Dispose();
}
