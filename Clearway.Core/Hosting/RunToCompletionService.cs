using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clearway.Hosting;

/// <summary>
/// The shape of every run-to-completion worker (the aspire-samples migration worker's): do one piece of work, report
/// the <see cref="RunOutcome"/>, which stops the host. A failure is logged (the dashboard's structured logs) and
/// carried to the exit code and the one stderr line by <see cref="Failures"/>.
/// </summary>
public abstract partial class RunToCompletionService(RunOutcome outcome, ILogger logger) : BackgroundService
{
    /// <summary>The work; an exception is the failure (an <see cref="IClearwayFailure"/> for an expected one).</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
            outcome.Succeeded();
        }
        catch (Exception caught)
        {
            var e = caught is OperationCanceledException && stoppingToken.IsCancellationRequested ? new RunCancelledException(caught) : caught;
            var failure = Failures.Describe(e);
            // The one line for people; the stack trace only for who asks for it (Debug), not beside that line.
            LogStopped(logger, failure.ExitCode, failure.Line);
            LogTrace(logger, e);
            outcome.Failed(e);
        }
    }

    [LoggerMessage(1, LogLevel.Error, "Stopped (exit code {ExitCode}): {Reason}")]
    private static partial void LogStopped(ILogger logger, int exitCode, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Where it stopped")]
    private static partial void LogTrace(ILogger logger, Exception exception);
}
