using System.Net.Http.Json;
using Clearway.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Clearway.AppHost;

/// <summary>
/// The <c>dbmanager</c> resource's health in the dashboard: the manager's own verdict and words on how stale the views
/// are (its <see cref="ManagerApi.FreshnessPath"/>), which a plain HTTP status check would drop.
/// </summary>
internal sealed class ManagerHealthProbe(EndpointReference endpoint) : IHealthCheck
{
    public const string Name = "dbmanager-views";

    // One client for every check: the registration builds a new check object each time it runs.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await Http.GetFromJsonAsync<HealthReply>(new Uri(new Uri(endpoint.Url), ManagerApi.FreshnessPath), cancellationToken)
                ?? throw new InvalidOperationException("an empty answer");
            return Enum.TryParse<HealthStatus>(reply.Status, out var status)
                ? new HealthCheckResult(status, reply.Description)
                : HealthCheckResult.Unhealthy($"The manager answered an unknown status '{reply.Status}': {reply.Description}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException)
        {
            return HealthCheckResult.Unhealthy($"The database manager does not answer: {e.Message}");
        }
    }
}
