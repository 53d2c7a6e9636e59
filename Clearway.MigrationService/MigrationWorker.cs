using Clearway.Data;
using Clearway.Data.Migrator;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Clearway.MigrationService;

/// <summary>Runs the one requested verb on <see cref="ClearwayMigrator"/>, records the exit code, then stops the host.</summary>
internal sealed partial class MigrationWorker(
    MigrationCommand command,
    IOptions<MigratorSettings> settings,
    IConfiguration configuration,
    IHostEnvironment environment,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    RunOutcome outcome,
    ILogger<MigrationWorker> logger,
    ILogger<ClearwayMigrator> migratorLogger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            outcome.ExitCode = await RunAsync(stoppingToken);
        }
        catch (MigratorException e)
        {
            LogStopped(logger, e.ExitCode == ExitCodes.Refused ? "Refused" : "Failed", e.Message + (e.Hint is null ? "" : $" Hint: {e.Hint}."));
            outcome.ExitCode = e.ExitCode;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogStopped(logger, "Failed", "Stopped before the run finished; every migration that did not commit was rolled back.");
            outcome.ExitCode = ExitCodes.Failure;
        }
        catch (PostgresException e)
        {
            LogStopped(logger, "Failed", $"PostgreSQL error {e.SqlState}: {e.MessageText}" + (PostgresErrorHints.For(e) is { } hint ? $" Hint: {hint}." : ""));
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
        if (command.IsOffline)
        {
            // Offline: no connection string needed, the database is never touched.
            await Console.Out.WriteAsync(ClearwayMigrator.Script(command.From, command.To, command.Idempotent));
            return ExitCodes.Success;
        }

        // The Aspire client integration's data source (health check, Npgsql traces and metrics) carries every connection.
        var migrator = new ClearwayMigrator(new MigratorOptions
        {
            ConnectionString = configuration.GetConnectionString(ClearwayConnectionString.Name) ?? "",
            Settings = settings.Value,
            EnvironmentName = environment.EnvironmentName,
            Confirmation = configuration["CONFIRM_MIGRATION"],
            BackupFile = command.BackupFile,
            OverwriteBackup = command.OverwriteBackup,
            Force = command.Force,
        }, migratorLogger, services.GetRequiredService<NpgsqlDataSource>());
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

    [LoggerMessage(1, LogLevel.Error, "{Outcome}: {Message}")]
    private static partial void LogStopped(ILogger logger, string outcome, string message);

    [LoggerMessage(2, LogLevel.Critical, "Failed with an unexpected error")]
    private static partial void LogCrashed(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "{Summary}")]
    private static partial void LogDone(ILogger logger, string summary);
}
