using Clearway.Data.Hosting;
using Clearway.Data.Views;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Clearway.Tests.Views;

/// <summary>The views' health as the dashboard shows it: no red icon for the seconds before the first refresh, a red one when it failed.</summary>
public sealed class ViewStalenessCheckTests
{
    [Fact]
    public async Task Before_the_first_refresh_the_health_is_degraded_and_a_failed_first_refresh_makes_it_unhealthy_saying_why()
    {
        await using var unreachable = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=none;Username=postgres;Timeout=2");
        var refresher = new ViewRefresher(unreachable, NullLogger<ViewRefresher>.Instance);
        var check = new ViewStalenessCheck(refresher, new RefreshSchedule(TimeSpan.FromHours(1)));

        var starting = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Degraded, starting.Status);
        Assert.StartsWith("Starting:", starting.Description, StringComparison.Ordinal);

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => refresher.RefreshAsync(TestContext.Current.CancellationToken));
        var failed = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Unhealthy, failed.Status);
        Assert.Contains("could not be refreshed yet", failed.Description, StringComparison.Ordinal);
    }
}
