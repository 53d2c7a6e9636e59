using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.Data.Statistics;

/// <summary>
/// Reads the query statistics' headline every interval into the gauges (<see cref="StatisticsTelemetry"/>). A failed
/// read is logged and the gauges go quiet until the next one answers: the numbers are a view, never a reason to stop.
/// </summary>
public sealed partial class StatisticsSampler(DatabaseStatistics statistics, ILogger<StatisticsSampler> logger)
{
    /// <summary>Samples now, then every <paramref name="every"/>, until cancelled.</summary>
    public async Task RunAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(every);
        do
        {
            await SampleAsync(cancellationToken);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>One sample; null (and the gauges quiet) when the server does not keep the statistics or cannot be read.</summary>
    public async Task<QueryHeadline?> SampleAsync(CancellationToken cancellationToken)
    {
        QueryHeadline? headline = null;
        try
        {
            headline = await statistics.HeadlineAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            LogSampleFailed(logger, e.Message);
        }
        StatisticsTelemetry.Record(headline);
        return headline;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the query statistics: {Reason}. The gauges resume at the next sample.")]
    private static partial void LogSampleFailed(ILogger logger, string reason);
}
