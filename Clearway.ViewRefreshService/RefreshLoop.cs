using Clearway.Data.Views;

namespace Clearway.ViewRefreshService;

/// <summary>The schedule: refresh now, then every interval, until the host stops.</summary>
internal sealed class RefreshLoop(ViewRefresher refresher, RefreshSchedule schedule) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => refresher.RunAsync(schedule.Every, stoppingToken);
}

/// <summary>How often to refresh (<c>--every</c>).</summary>
internal sealed record RefreshSchedule(TimeSpan Every);
