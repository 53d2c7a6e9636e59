using Clearway.Data.Statistics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Clearway.Data.Hosting;

/// <summary>The database's <see cref="DatabaseStatistics"/>, and their gauges: a <see cref="StatisticsSampler"/> every interval, on Clearway.Data's meter.</summary>
public static class StatisticsHosting
{
    /// <summary>How often the gauges are brought up to date: often enough to chart a burst, rare enough to cost nothing.</summary>
    public static readonly TimeSpan DefaultEvery = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers <see cref="DatabaseStatistics"/> for the database <c>ConnectionStrings:clearway</c> names, and samples them every <paramref name="every"/>
    /// (<see cref="DefaultEvery"/>) for the gauges <c>clearway.queries.statements</c> and <c>clearway.queries.slowest_mean</c>.
    /// </summary>
    public static IHostApplicationBuilder AddClearwayQueryStatistics(this IHostApplicationBuilder builder, TimeSpan? every = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = ClearwayConnectionString.Parse(builder.Configuration.GetConnectionString(ClearwayConnectionString.Name)).ConnectionString;
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(DataTelemetry.Name));
        builder.Services.AddSingleton(new DatabaseStatistics(connectionString));
        builder.Services.AddSingleton<StatisticsSampler>();
        builder.Services.AddSingleton(new SampleSchedule(every ?? DefaultEvery));
        builder.Services.AddHostedService<SamplerService>();
        return builder;
    }

    private sealed record SampleSchedule(TimeSpan Every);

    private sealed class SamplerService(StatisticsSampler sampler, SampleSchedule schedule) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => sampler.RunAsync(schedule.Every, stoppingToken);
    }
}
