using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Clearway.AppHost;

/// <summary>
/// The <c>views</c> resource's health in the dashboard: the worker's own words on how stale the views are (its
/// <c>/freshness</c> endpoint), which a plain HTTP status check would drop.
/// </summary>
internal sealed class ViewsFreshnessCheck(EndpointReference endpoint) : IHealthCheck
{
    public const string Name = "views-freshness";

    // One client for every check: the registration builds a new check object each time it runs.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(new Uri(endpoint.Url), "/freshness"), cancellationToken);
            var description = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
            return response.IsSuccessStatusCode ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"The views worker does not answer: {e.Message}");
        }
    }
}
