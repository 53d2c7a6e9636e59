using Clearway.Data.Views;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Clearway.Data.Hosting;

/// <summary>The views schedule's registration: <see cref="ViewRefresher"/> every interval, and how stale the views are as health.</summary>
public static class ViewRefresherHosting
{
    /// <summary>
    /// Registers the database (Aspire Npgsql client integration), <see cref="ViewRefresher"/>, the schedule that refreshes
    /// both views now and then every <paramref name="every"/>, the <see cref="ViewStalenessCheck"/> health check and
    /// Clearway.Data's telemetry. A missing or malformed connection string throws (exit 2) before anything starts.
    /// </summary>
    public static IHostApplicationBuilder AddClearwayViewRefresher(this IHostApplicationBuilder builder, TimeSpan every)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ClearwayConnectionString.Parse(builder.Configuration.GetConnectionString(ClearwayConnectionString.Name));
        builder.AddNpgsqlDataSource(ClearwayConnectionString.Name);
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(DataTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(DataTelemetry.Name));
        builder.Services.AddSingleton(new RefreshSchedule(every));
        builder.Services.AddSingleton<ViewRefresher>();
        builder.Services.AddHostedService<RefreshScheduleService>();
        builder.Services.AddHealthChecks().AddCheck<ViewStalenessCheck>(ViewStalenessCheck.Name);
        return builder;
    }

    /// <summary>Refresh now, then every interval, until the host stops; a loop that dies fails the host (never exit 0).</summary>
    private sealed class RefreshScheduleService(ViewRefresher refresher, RefreshSchedule schedule) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => refresher.RunAsync(schedule.Every, stoppingToken);
    }
}

/// <summary>How often the views are refreshed (<c>--every</c>).</summary>
public sealed record RefreshSchedule(TimeSpan Every);
