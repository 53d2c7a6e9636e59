using Clearway.Data.Views;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Clearway.ViewRefreshService;

/// <summary>
/// Healthy while the views are at most two intervals old (one missed tick is tolerated), and says how old they are
/// either way, so the dashboard answers "how stale are the views?" at a glance.
/// </summary>
internal sealed class ViewFreshnessCheck(ViewRefresher refresher, RefreshSchedule schedule) : IHealthCheck
{
    public const string Name = "views";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var every = RefreshInterval.Format(schedule.Every);
        if (refresher.Staleness is not { } age)
            return Task.FromResult(HealthCheckResult.Unhealthy($"The views have not been refreshed yet (every {every})."));
        var description = $"The views were refreshed {Describe(age)} ago ({refresher.Refreshes} refreshes, every {every}).";
        return Task.FromResult(age <= 2 * schedule.Every ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description));
    }

    private static string Describe(TimeSpan age) =>
        age.TotalHours >= 1 ? $"{(int)age.TotalHours} h {age.Minutes} min"
        : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes} min {age.Seconds} s"
        : $"{Math.Max(0, (int)age.TotalSeconds)} s";
}
