using Clearway.Data.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Clearway.Data.Views;

/// <summary>
/// How stale the materialized views are, as the views schedule's health: healthy while they are at most two intervals
/// old (one missed tick is tolerated), degraded until the first refresh after a start (the views are not known to be
/// stale yet, and a red icon at every start would be a false alarm), unhealthy after that. It says how old they are
/// either way, so the dashboard answers "how stale are the views?" at a glance.
/// </summary>
public sealed class ViewStalenessCheck(ViewRefresher refresher, RefreshSchedule schedule) : IHealthCheck
{
    public const string Name = "views-staleness";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var every = RefreshInterval.Format(schedule.Every);
        if (refresher.Staleness is not { } age)
            return Task.FromResult(refresher.LastFailure is { } failure
                ? HealthCheckResult.Unhealthy($"The views could not be refreshed yet (every {every}): {failure}")
                : HealthCheckResult.Degraded($"Starting: the first refresh of the views has not finished yet (then every {every})."));
        var description = $"The views were refreshed {Describe(age)} ago ({refresher.Refreshes} refreshes, every {every}).";
        return Task.FromResult(age <= 2 * schedule.Every ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description));
    }

    private static string Describe(TimeSpan age) =>
        age.TotalHours >= 1 ? $"{(int)age.TotalHours} h {age.Minutes} min"
        : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes} min {age.Seconds} s"
        : $"{Math.Max(0, (int)age.TotalSeconds)} s";
}
