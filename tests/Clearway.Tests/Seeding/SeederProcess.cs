using Clearway.Tests.Infrastructure;
using Clearway.Tests.Telemetry;

namespace Clearway.Tests.Seeding;

/// <summary>The Clearway.Seeder worker as a real process (<see cref="WorkerProcess"/>), started as Aspire and CI start it.</summary>
internal static class SeederProcess
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <param name="connectionString">ConnectionStrings__clearway, or null to leave it unset.</param>
    public static WorkerProcess Start(string? connectionString, string environment, params string[] args) =>
        WorkerProcess.Start(WorkerTelemetryEnvironment.SeederDll, args, new Dictionary<string, string?>
        {
            ["ConnectionStrings__clearway"] = connectionString,
            ["DOTNET_ENVIRONMENT"] = environment,
            ["ASPNETCORE_ENVIRONMENT"] = null,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
        });

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string? connectionString, string environment, params string[] args)
    {
        await using var seeder = Start(connectionString, environment, args);
        var code = await seeder.WaitForExitAsync(Timeout);
        return (code, seeder.StandardOutput, seeder.StandardError);
    }
}
