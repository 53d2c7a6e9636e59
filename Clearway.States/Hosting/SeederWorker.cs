using Clearway.Hosting;
using Clearway.Seeding;
using Microsoft.Extensions.Logging;

namespace Clearway.States.Hosting;

/// <summary>Seeds once through the template store (or skips: the same seed, a seed it keeps), then stops the host.</summary>
internal sealed partial class SeederWorker(SeedJob job, DatabaseStates states, RunOutcome outcome, ILogger<SeederWorker> logger)
    : RunToCompletionService(outcome, logger)
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        await states.WaitForDatabaseAsync(job.ServerWaitLimit, stoppingToken);
        var result = await states.SeedAsync(job.Seed, progress: null, stoppingToken);
        LogDone(logger, result.Outcome, result.Message);
    }

    [LoggerMessage(1, LogLevel.Information, "Seeder done ({Outcome}): {Message}")]
    private static partial void LogDone(ILogger logger, SeedOutcome outcome, string message);
}

/// <summary>What the seeder worker does: the seed to put in place, and how long to wait for the server first (the migrator's limit).</summary>
internal sealed record SeedJob(SeedOptions Seed, TimeSpan ServerWaitLimit);
