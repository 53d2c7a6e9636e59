using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Clearway.Tests.Telemetry;

/// <summary>
/// AddServiceDefaults exports traces (the application's own source), runtime metrics and logs over OTLP/HTTP protobuf,
/// and the receiver decodes them. The Clearway libraries' sources and Npgsql are each host's to add (WorkerTelemetryTests).
/// </summary>
public sealed partial class ServiceDefaultsExportTests
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(10);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Spans_metrics_and_logs_arrive_with_their_names_and_attributes()
    {
        await using var receiver = OtlpReceiver.Start();
        var marker = Guid.NewGuid().ToString("N");
        var serviceName = "clearway-tests-" + marker[..8];
        var builder = TelemetryHost.CreateBuilder(TelemetryHost.OtlpSettings(receiver, serviceName));
        builder.AddServiceDefaults();

        using (var host = builder.Build())
        {
            await host.StartAsync(Ct);

            using (var source = new ActivitySource(TelemetryHost.ApplicationName))
            using (var activity = source.StartActivity("migration 20250101000000_Telemetry"))
            {
                Assert.NotNull(activity); // the tracer provider listens to the application's own source
                activity.SetTag("clearway.migration", "20250101000000_Telemetry");
                activity.SetTag("clearway.marker", marker);
                activity.SetTag("clearway.rows", 42L);
            }

            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Clearway.Tests.Telemetry");
            LogSeeded(logger, "capital_calls", 1234, marker);

            Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush());
            Assert.True(host.Services.GetRequiredService<MeterProvider>().ForceFlush());
            await host.StopAsync(Ct);
        } // disposing the host shuts the logger provider down, which exports the pending logs

        var span = await receiver.WaitForAsync<ReceivedSpan>(s => Equals(s.Attributes.GetValueOrDefault("clearway.marker"), marker), Arrival, Ct);
        Assert.Equal(TelemetryHost.ApplicationName, span.Scope);
        Assert.Equal("migration 20250101000000_Telemetry", span.Name);
        Assert.Equal("20250101000000_Telemetry", span.Attributes["clearway.migration"]);
        Assert.Equal(42L, span.Attributes["clearway.rows"]);
        Assert.Equal(serviceName, span.ServiceName);

        // Runtime instrumentation: the GC and thread-pool metrics every host exports.
        var metric = await receiver.WaitForAsync<ReceivedMetric>(m => m.ServiceName == serviceName && m.Name.StartsWith("dotnet.", StringComparison.Ordinal), Arrival, Ct);
        Assert.Equal(serviceName, metric.ServiceName);

        var log = await receiver.WaitForAsync<ReceivedLog>(l => Equals(l.Attributes.GetValueOrDefault("Marker"), marker), Arrival, Ct);
        Assert.Equal("Clearway.Tests.Telemetry", log.Scope);
        Assert.Equal("capital_calls", log.Attributes["Table"]);
        Assert.Equal(1234L, log.Attributes["RowCount"]);
        Assert.Equal("Information", log.Severity);
        Assert.Equal($"Seeded capital_calls with 1234 rows ({marker})", log.Body);
        Assert.Equal(serviceName, log.ServiceName);

        Assert.Empty(receiver.Failures);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Table} with {RowCount} rows ({Marker})")]
    private static partial void LogSeeded(ILogger logger, string table, int rowCount, string marker);
}
