using System.Diagnostics;
using System.Diagnostics.Metrics;
using Clearway.Data.Migrator;

namespace Clearway.Data.Views;

/// <summary>What the dashboard shows of the view refreshes: a span each, the last success and a duration histogram.</summary>
internal static class ViewTelemetry
{
    /// <summary>Clearway.Data's one ActivitySource and Meter name (the hosts subscribe to it once).</summary>
    public const string Name = DataTelemetry.Name;

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "clearway.views.refresh.duration", unit: "s", description: "Time to refresh both materialized views.");

    public static readonly Counter<long> Refreshes = Meter.CreateCounter<long>(
        "clearway.views.refreshes", unit: "{refresh}", description: "Refreshes of both views, tagged with their outcome.");

    private static long _lastSuccessTicks;

    // Unix seconds of the last success in this process: its graph climbs a step per refresh; a flat line is a stuck job.
    public static readonly ObservableGauge<double> LastSuccess = Meter.CreateObservableGauge(
        "clearway.views.last_refresh", ObserveLastSuccess, unit: "s", description: "When both views were last refreshed successfully (Unix time).");

    public static void RecordSuccess(DateTimeOffset at) => Interlocked.Exchange(ref _lastSuccessTicks, at.UtcTicks);

    private static IEnumerable<Measurement<double>> ObserveLastSuccess() =>
        Interlocked.Read(ref _lastSuccessTicks) is var ticks and > 0
            ? [new Measurement<double>(new DateTimeOffset(ticks, TimeSpan.Zero).ToUnixTimeMilliseconds() / 1000.0)]
            : [];
}
