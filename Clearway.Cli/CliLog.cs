using Microsoft.Extensions.Logging;

namespace Clearway.Cli;

/// <summary>The CLI's own structured log messages (the libraries log their steps themselves).</summary>
internal static partial class CliLog
{
    [LoggerMessage(1, LogLevel.Information, "Starting PostgreSQL from {BinDirectory} with data directory {DataDirectory}")]
    public static partial void StartingServer(ILogger logger, string binDirectory, string dataDirectory);

    [LoggerMessage(2, LogLevel.Information, "Step {Step} done in {ElapsedMs} ms: {Outcome}")]
    public static partial void StepDone(ILogger logger, string step, long elapsedMs, string outcome);

    [LoggerMessage(3, LogLevel.Information, "Using the running `clearway up` of {DataDirectory} (pid {Pid})")]
    public static partial void UsingUpServer(ILogger logger, string dataDirectory, int pid);

    [LoggerMessage(4, LogLevel.Warning, "Ignoring stale {StateFile}: {Reason}")]
    public static partial void StaleState(ILogger logger, string stateFile, string reason);

    [LoggerMessage(5, LogLevel.Information, "Stopping PostgreSQL ({Reason})")]
    public static partial void StoppingServer(ILogger logger, string reason);

    [LoggerMessage(6, LogLevel.Information, "Server stopped; data kept in {DataDirectory}")]
    public static partial void ServerStopped(ILogger logger, string dataDirectory);


    [LoggerMessage(8, LogLevel.Information, "Seeded table {Table}: {Rows} rows")]
    public static partial void TableSeeded(ILogger logger, string table, long rows);

    [LoggerMessage(9, LogLevel.Information, "Reset of {Target}: the database is ours because {Reason}")]
    public static partial void ResetOwnership(ILogger logger, string target, string reason);
}
