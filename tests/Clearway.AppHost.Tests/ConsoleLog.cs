namespace Clearway.AppHost.Tests;

/// <summary>A resource's console log as the dashboard shows it (stdout and stderr of the process).</summary>
internal static class ConsoleLog
{
    /// <summary>
    /// Completes with the first line that matches, from the backlog or as it is written. Start it before the
    /// resource runs: Aspire streams a process's output only while someone watches.
    /// </summary>
    public static async Task<string> WaitForLineAsync(this DistributedApplication app, string resource, Func<string, bool> match, CancellationToken ct)
    {
        // Logs are kept per instance (e.g. seeder-abcd1234), not per display name.
        var instance = (await app.ResourceNotifications.WaitForResourceAsync(resource, _ => true, ct)).ResourceId;
        await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(instance).WithCancellation(ct))
        {
            foreach (var line in batch)
            {
                if (match(line.Content))
                    return line.Content;
            }
        }
        throw new InvalidOperationException($"The console log of '{resource}' ended without a matching line.");
    }
}
