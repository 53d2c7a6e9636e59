using Clearway.Data.Migrator;
using Clearway.Hosting;
using Microsoft.Extensions.Logging;

namespace Clearway.Data.Hosting;

/// <summary>Runs the one requested verb on <see cref="ClearwayMigrator"/>; reports are printed on stdout.</summary>
internal sealed partial class MigrationWorker(MigrationRequest request, ClearwayMigrator migrator, RunOutcome outcome, ILogger<MigrationWorker> logger)
    : RunToCompletionService(outcome, logger)
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        switch (request.Verb)
        {
            case MigrationVerb.Status:
                await Console.Out.WriteLineAsync((await migrator.GetStatusAsync(stoppingToken)).ToString());
                break;
            case MigrationVerb.Verify:
                var report = await migrator.VerifyAsync(stoppingToken);
                await Console.Out.WriteLineAsync(report.ToString());
                report.EnsureValid();
                break;
            case MigrationVerb.Rollback:
                LogDone(logger, (await migrator.RollbackAsync(request.To!, stoppingToken)).ToString());
                break;
            default:
                LogDone(logger, (await migrator.MigrateAsync(stoppingToken)).ToString());
                break;
        }
    }

    [LoggerMessage(1, LogLevel.Information, "{Summary}")]
    private static partial void LogDone(ILogger logger, string summary);
}

/// <summary><c>script</c>: the SQL migrating would run, on stdout. Never connects.</summary>
internal sealed class ScriptWorker(MigrationRequest request, RunOutcome outcome, ILogger<ScriptWorker> logger)
    : RunToCompletionService(outcome, logger)
{
    protected override Task RunAsync(CancellationToken stoppingToken) =>
        Console.Out.WriteAsync(ClearwayMigrator.Script(request.From, request.To, request.Idempotent));
}
