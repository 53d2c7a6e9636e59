using System.Reflection;

namespace Clearway.Tests.Telemetry;

/// <summary>
/// The built worker dlls and the environment the AppHost would give a worker, pointed at a test's
/// <see cref="OtlpReceiver"/>. Inherited variables that would change what the worker does or where its
/// telemetry goes are removed (a null value removes the variable in <c>WorkerProcess</c>).
/// </summary>
internal static class WorkerTelemetryEnvironment
{
    /// <summary>How long the batch processors and the metric reader wait between exports (ms): far longer than a
    /// worker runs, so whatever the receiver holds at exit was exported by the worker's shutdown flush.</summary>
    private const string LongerThanTheRun = "600000";

    public static string MigrationServiceDll { get; } = BuiltDll("ClearwayMigrationServiceDll");
    public static string SeederDll { get; } = BuiltDll("ClearwaySeederDll");
    public static string DatabaseManagerDll { get; } = BuiltDll("ClearwayDatabaseManagerDll");

    public static Dictionary<string, string?> For(OtlpReceiver receiver, string serviceName, string connectionString) => new()
    {
        ["ConnectionStrings__clearway"] = connectionString,
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_SERVICE_NAME"] = serviceName,
        ["OTEL_BSP_SCHEDULE_DELAY"] = LongerThanTheRun,
        ["OTEL_BLRP_SCHEDULE_DELAY"] = LongerThanTheRun,
        ["OTEL_METRIC_EXPORT_INTERVAL"] = LongerThanTheRun,
        // Scrubbed: settings the outer environment (a developer shell, a CI job, an Aspire run) might carry.
        ["ASPNETCORE_ENVIRONMENT"] = null,
        ["OTEL_EXPORTER_OTLP_HEADERS"] = null,
        ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = null,
        ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = null,
        ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = null,
        ["OTEL_RESOURCE_ATTRIBUTES"] = null,
        ["OTEL_SDK_DISABLED"] = null,
        ["OTEL_TRACES_SAMPLER"] = null,
        ["CONFIRM_MIGRATION"] = null,
        ["Migrator__ServerWaitLimit"] = null,
        ["Migrator__LockWaitLimit"] = null,
        ["Migrator__PgDumpPath"] = null,
    };

    private static string BuiltDll(string key) =>
        typeof(WorkerTelemetryEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
