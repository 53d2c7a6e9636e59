using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Clearway.Tests.Telemetry;

/// <summary>
/// A host builder for in-process service-defaults tests: no process environment or appsettings (tests run in
/// parallel, so each host gets exactly the OTEL_* and connection-string settings it is given, as configuration).
/// </summary>
internal static class TelemetryHost
{
    /// <summary>The hosts' application name, which is also the ActivitySource the service defaults listen to.</summary>
    public const string ApplicationName = "Clearway.Tests";

    public static HostApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = ApplicationName,
            EnvironmentName = Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    /// <summary>The OTEL_* settings the AppHost gives a worker, pointed at <paramref name="receiver"/>.</summary>
    public static Dictionary<string, string?> OtlpSettings(OtlpReceiver receiver, string serviceName) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_SERVICE_NAME"] = serviceName,
    };
}
