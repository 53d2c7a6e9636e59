using System.Globalization;
using Clearway.Hosting;
using Microsoft.Extensions.Hosting;

namespace Clearway.AppHost;

/// <summary>
/// Shows on the <c>clearway</c> resource its <c>DATABASE_URL</c> (hidden until asked), what the database holds (a recipe,
/// or the snapshot it was restored from) and what the template store keeps, as the manager reports them: at start, after every state command, and every
/// <see cref="Every"/> (the app or the CLI may change them too).
/// </summary>
internal sealed class StateProperties(IResource database, IResourceBuilder<ProjectResource> manager, ManagerClient client,
    DatabaseUrlValue url, ResourceNotificationService notifications, IServiceProvider services) : BackgroundService
{
    public const string Holds = "clearway.holds";
    public const string Store = "clearway.store";
    public const string Url = "clearway.url";
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(15);
    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <summary>A command changed the state: show it now.</summary>
    public void Changed()
    {
        if (_changed.CurrentCount == 0)
            _changed.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _changed.WaitAsync(Every, stoppingToken);
            if (!notifications.TryGetCurrentState(manager.Resource.Name, out var e) || e.Snapshot.State?.Text != KnownResourceStates.Running)
                continue;
            try
            {
                var state = await client.GetAsync<StateReply>(services, ManagerApi.StatePath, stoppingToken);
                var databaseUrl = await url.GetValueAsync(stoppingToken);
                await notifications.PublishUpdateAsync(database, s => s with
                {
                    Properties =
                    [
                        .. s.Properties.Where(p => p.Name is not (Holds or Store or Url)),
                        // What the Node/Prisma app is given, hidden like any secret until asked for.
                        new(Url, databaseUrl) { DisplayName = DatabaseUrl.EnvironmentVariable, IsSensitive = true },
                        new(Holds, state.Holds ?? "not seeded") { DisplayName = "Holds" },
                        new(Store, string.Create(CultureInfo.InvariantCulture,
                            $"{state.Templates} template(s), {state.Snapshots} snapshot(s), {state.StoreBytes / 1024.0 / 1024.0:0.0} MB")) { DisplayName = "Template store" },
                    ],
                });
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                // The manager is restarting or busy: the next round shows it.
            }
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }
}
