using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Clearway.Tests.Telemetry;

/// <summary>Without OTEL_EXPORTER_OTLP_ENDPOINT (a worker run outside the AppHost) the host starts and exports nothing.</summary>
public sealed partial class ServiceDefaultsWithoutEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Host_starts_and_nothing_is_exported()
    {
        await using var receiver = OtlpReceiver.Start();
        // Everything an exporter would need except the endpoint AddServiceDefaults keys on; the per-signal
        // endpoints point at the receiver, so an exporter added anyway would be caught here.
        var builder = TelemetryHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = receiver.Endpoint + "/v1/traces",
            ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = receiver.Endpoint + "/v1/logs",
            ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = receiver.Endpoint + "/v1/metrics",
            ["OTEL_SERVICE_NAME"] = "clearway-tests-no-endpoint",
        });
        builder.AddServiceDefaults();

        using (var host = builder.Build())
        {
            await host.StartAsync(Ct);

            using (var source = new ActivitySource(TelemetryHost.ApplicationName))
            using (var activity = source.StartActivity("seed table"))
                Assert.NotNull(activity); // tracing is still on (in-process listeners), only the exporter is absent
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Clearway.Tests.Telemetry");
            LogStarted(logger);

            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
            Assert.Equal(HealthStatus.Healthy, health.Entries["self"].Status);

            host.Services.GetRequiredService<TracerProvider>().ForceFlush();
            await host.StopAsync(Ct);
        }

        Assert.Equal("nothing", receiver.Describe());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started without an OTLP endpoint")]
    private static partial void LogStarted(ILogger logger);
}
