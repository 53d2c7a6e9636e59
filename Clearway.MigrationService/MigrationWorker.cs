using Clearway.Data;
using Clearway.Data.Migrator;

namespace Clearway.MigrationService;

/// <summary>Runs the one requested verb, records the exit code, then stops the host.</summary>
internal sealed partial class MigrationWorker(
    MigrationCommand command,
    IConfiguration configuration,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    RunOutcome outcome,
    ILogger<MigrationWorker> logger,
    ILogger<ClearwayMigrator> migratorLogger) : BackgroundService
{
    /// <summary>Test-only fault injection: pause inside this migration's transaction (before commit) and print a marker.</summary>
    internal const string PauseVariable = "CLEARWAY_MIGRATOR_TEST_PAUSE_BEFORE_COMMIT";
    internal const string PauseMarker = "CLEARWAY_TEST_PAUSED";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            outcome.ExitCode = await RunAsync(stoppingToken);
        }
        catch (MigratorException e)
        {
            LogStopped(logger, e.ExitCode == ExitCodes.Refused ? "Refused" : "Failed",
                e.Message + (e.Hint is null ? "" : $" Hint: {e.Hint}."));
            outcome.ExitCode = e.ExitCode;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogStopped(logger, "Failed", "Stopped before the run finished; every migration that did not commit was rolled back.");
            outcome.ExitCode = ExitCodes.Failure;
        }
        catch (Exception e)
        {
            LogCrashed(logger, e);
            outcome.ExitCode = ExitCodes.Failure;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (command.Verb == "script")
        {
            // Offline: no connection string needed, the database is never touched.
            await Console.Out.WriteAsync(ClearwayMigrator.Script(command.From, command.To, command.Idempotent));
            return ExitCodes.Success;
        }

        var migrator = new ClearwayMigrator(BuildOptions(), migratorLogger);
        switch (command.Verb)
        {
            case "status":
                var status = await migrator.GetStatusAsync(cancellationToken);
                await Console.Out.WriteLineAsync(status.ToString());
                return ExitCodes.Success;
            case "verify":
                var report = await migrator.VerifyAsync(cancellationToken);
                await Console.Out.WriteLineAsync(report.ToString());
                return report.IsValid ? ExitCodes.Success : ExitCodes.Failure;
            case "rollback":
                var rollback = await migrator.RollbackAsync(command.To!, cancellationToken);
                LogDone(logger, rollback.ToString());
                return ExitCodes.Success;
            default:
                var result = await migrator.MigrateAsync(cancellationToken);
                LogDone(logger, result.ToString());
                return ExitCodes.Success;
        }
    }

    private MigratorOptions BuildOptions()
    {
        var pauseIn = configuration[PauseVariable];
        return new MigratorOptions
        {
            ConnectionString = configuration.GetConnectionString("clearway") ?? "",
            EnvironmentName = environment.EnvironmentName,
            Confirmed = string.Equals(configuration["CONFIRM_MIGRATION"], "yes", StringComparison.Ordinal),
            ServerWaitLimit = Limit("Migrator:ServerWaitLimit", TimeSpan.FromSeconds(60)),
            LockWaitLimit = Limit("Migrator:LockWaitLimit", TimeSpan.FromMinutes(5)),
            BackupFile = command.BackupFile,
            PgDumpPath = configuration["Migrator:PgDumpPath"],
            Force = command.Force,
            BeforeCommit = string.IsNullOrEmpty(pauseIn) ? null : async (migration, ct) =>
            {
                if (migration.Name != pauseIn)
                    return;
                await Console.Out.WriteLineAsync($"{PauseMarker} {migration.Name}");
                await Console.Out.FlushAsync(ct);
                await Task.Delay(Timeout.Infinite, ct);
            },
        };
    }

    private TimeSpan Limit(string key, TimeSpan fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero)
            return value;
        throw new MigratorException(ExitCodes.Refused, $"Configuration {key} = '{text}' is not a duration like 00:01:00.");
    }

    [LoggerMessage(1, LogLevel.Error, "{Outcome}: {Message}")]
    private static partial void LogStopped(ILogger logger, string outcome, string message);

    [LoggerMessage(2, LogLevel.Critical, "Failed with an unexpected error")]
    private static partial void LogCrashed(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "{Summary}")]
    private static partial void LogDone(ILogger logger, string summary);
}
