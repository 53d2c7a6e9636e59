using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clearway.AppHost;

/// <summary>How one run of a run-to-completion resource ended.</summary>
internal sealed record RunResult(int? ExitCode, string State, IReadOnlyList<string> ErrorLines)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last error line the process printed, else its exit code: what a command reports on failure.</summary>
    public string Describe(string resource) => ErrorLines.Count > 0
        ? ErrorLines[^1]
        : $"{resource} ended {State} with exit code {ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}; see its console log";
}

/// <summary>
/// Runs a resource of the app model again, as the dashboard's Start button does, optionally with other arguments for
/// that run, and waits for it to end: the run is the resource's own (its console log, traces and exit code).
/// </summary>
internal sealed partial class ResourceRuns
{
    private readonly Dictionary<string, IReadOnlyList<object>> _nextArgs = new(StringComparer.Ordinal);

    /// <summary>
    /// The arguments a resource's next runs get instead of its defaults (null: the defaults). Read by the resource's
    /// <c>WithArgs</c> callback, which Aspire evaluates at every start.
    /// </summary>
    public IReadOnlyList<object>? ArgsFor(string resource)
    {
        lock (_nextArgs)
            return _nextArgs.GetValueOrDefault(resource);
    }

    public async Task<RunResult> RunAsync(IServiceProvider services, IResource resource, IReadOnlyList<object>? arguments, CancellationToken ct)
    {
        lock (_nextArgs)
        {
            if (arguments is null)
                _nextArgs.Remove(resource.Name);
            else
                _nextArgs[resource.Name] = arguments;
        }

        // Watch before starting: a fast run could otherwise end before the watch begins. Only the end of the process
        // this start begins counts: the current (terminal) state of the previous run does not, nor the terminal state
        // (e.g. Exited) that Aspire publishes for the previous process while it deletes it to start again.
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ILogger<ResourceRuns>>();
        var previousStart = notifications.TryGetCurrentState(resource.Name, out var current) ? current.Snapshot.StartTimeStamp : null;
        var active = false;
        var ended = notifications.WaitForResourceAsync(resource.Name, e =>
        {
            var state = e.Snapshot.State?.Text;
            var terminal = state is not null && KnownResourceStates.TerminalStates.Contains(state);
            active |= !terminal;
            LogState(logger, resource.Name, state, e.Snapshot.StartTimeStamp, e.Snapshot.ExitCode);
            return terminal && (state == KnownResourceStates.FailedToStart
                ? active
                : e.Snapshot.StartTimeStamp is { } started && (previousStart is null || started > previousStart));
        }, ct);

        var start = await services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, ct);
        if (!start.Success)
            return new RunResult(null, KnownResourceStates.FailedToStart, [start.Message ?? $"{resource.Name} could not be started"]);

        var end = await ended;
        var errors = new List<string>();
        await foreach (var batch in services.GetRequiredService<ResourceLoggerService>().GetAllAsync(end.ResourceId).WithCancellation(ct))
            errors.AddRange(batch.Where(l => l.IsErrorMessage && !string.IsNullOrWhiteSpace(l.Content)).Select(l => l.Content.Trim()));
        return new RunResult(end.Snapshot.ExitCode, end.Snapshot.State?.Text ?? "?", errors);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run of {Resource}: state {State}, process started {StartedAt:o}, exit code {ExitCode}")]
    private static partial void LogState(ILogger logger, string resource, string? state, DateTime? startedAt, int? exitCode);
}
