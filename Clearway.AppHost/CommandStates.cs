using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Clearway.AppHost;

/// <summary>
/// Whether the database commands may run: not while one of them is running, and not while a resource they would run
/// (or the database) is busy. Aspire re-evaluates a command's state only when its own resource changes, so
/// <see cref="Refresher"/> nudges the command-carrying resources whenever a resource they depend on changes.
/// </summary>
internal sealed class CommandStates
{
    private static readonly string[] Active = [KnownResourceStates.Starting, KnownResourceStates.Running, KnownResourceStates.Waiting, KnownResourceStates.NotStarted];
    private int _busy;

    /// <summary>The resources whose commands depend on the others' states.</summary>
    public List<IResource> Carriers { get; } = [];

    /// <summary>Enabled when no command runs, the database is running, and none of <paramref name="runs"/> is active.</summary>
    public ResourceCommandState While(IServiceProvider services, string database, params string[] runs)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        if (Volatile.Read(ref _busy) != 0)
            return ResourceCommandState.Disabled;
        if (!notifications.TryGetCurrentState(database, out var db) || db.Snapshot.State?.Text != KnownResourceStates.Running)
            return ResourceCommandState.Disabled;
        foreach (var run in runs)
        {
            if (notifications.TryGetCurrentState(run, out var e) && e.Snapshot.State?.Text is { } state && Active.Contains(state))
                return ResourceCommandState.Disabled;
        }
        return ResourceCommandState.Enabled;
    }

    /// <summary>Runs a command's work exclusively; a second command meanwhile is refused.</summary>
    public async Task<ExecuteCommandResult> ExclusiveAsync(IServiceProvider services, Func<Task<ExecuteCommandResult>> work)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            return CommandResults.Failure("Another database command is running; try again when it has finished.");
        await NudgeAsync(services, null);
        try
        {
            return await work();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
            await NudgeAsync(services, null);
        }
    }

    private async Task NudgeAsync(IServiceProvider services, string? changed)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        foreach (var carrier in Carriers.Where(c => c.Name != changed))
            await notifications.PublishUpdateAsync(carrier, s => s);
    }

    /// <summary>Re-evaluates the commands whenever another resource changes state.</summary>
    internal sealed class Refresher(CommandStates states, ResourceNotificationService notifications, IServiceProvider services) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            // Only a change of state counts: a nudge republishes a snapshot unchanged, so it cannot start a ping-pong.
            var seen = new Dictionary<string, string?>(StringComparer.Ordinal);
            await foreach (var e in notifications.WatchAsync(stoppingToken))
            {
                var state = e.Snapshot.State?.Text;
                if (seen.TryGetValue(e.Resource.Name, out var previous) && previous == state)
                    continue;
                seen[e.Resource.Name] = state;
                await states.NudgeAsync(services, e.Resource.Name);
            }
        }
    }
}
