using Clearway.Data.Migrator;
using Clearway.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Clearway.Data.Hosting;

/// <summary>The migration worker's registration: one <see cref="MigrationRequest"/>, run once by <see cref="ClearwayMigrator"/>.</summary>
public static class MigratorHosting
{
    /// <summary>The environment variable that confirms a change outside Development (<see cref="MigrationRun.Confirmation"/>).</summary>
    public const string ConfirmationVariable = "CONFIRM_MIGRATION";

    /// <summary>
    /// Registers the migrator for <paramref name="request"/>: <c>Migrator:*</c> options (bound, validated at start), the
    /// database through the Aspire Npgsql client integration (traces, metrics, health), Clearway.Data's telemetry, and
    /// the run-to-completion worker. A missing or malformed connection string throws (exit 2) before anything starts.
    /// </summary>
    public static IHostApplicationBuilder AddClearwayMigrator(this IHostApplicationBuilder builder, MigrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(request);
        builder.Services.AddSingleton(request);
        builder.Services.AddMigratorOptions();
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(DataTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(DataTelemetry.Name));
        if (request.IsOffline)
        {
            builder.Services.AddRunToCompletion<ScriptWorker>();
            return builder;
        }

        var connectionString = ClearwayMigrator.PrepareConnectionString(builder.Configuration.GetConnectionString(ClearwayConnectionString.Name));
        builder.AddNpgsqlDataSource(ClearwayConnectionString.Name, settings => settings.ConnectionString = connectionString);
        builder.Services.AddSingleton(services => new ClearwayMigrator(
            new MigrationRun
            {
                ConnectionString = connectionString,
                Options = services.GetRequiredService<IOptions<MigratorOptions>>().Value,
                EnvironmentName = services.GetRequiredService<IHostEnvironment>().EnvironmentName,
                Confirmation = services.GetRequiredService<IConfiguration>()[ConfirmationVariable],
                BackupFile = request.BackupFile,
                OverwriteBackup = request.OverwriteBackup,
                Force = request.Force,
            },
            services.GetRequiredService<ILogger<ClearwayMigrator>>(),
            services.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddRunToCompletion<MigrationWorker>();
        return builder;
    }
}
