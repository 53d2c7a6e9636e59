using Microsoft.Extensions.DependencyInjection;

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
internal sealed class ResourceRuns
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

        // Watch before starting: a fast run could otherwise end before the watch begins. The current (terminal) state
        // of the previous run does not count; the first terminal state after an active one does.
        var active = false;
        var ended = services.GetRequiredService<ResourceNotificationService>().WaitForResourceAsync(resource.Name, e =>
        {
            var terminal = e.Snapshot.State?.Text is { } s && KnownResourceStates.TerminalStates.Contains(s);
            active |= !terminal;
            return terminal && active;
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
}
