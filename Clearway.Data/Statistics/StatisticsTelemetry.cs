using System.Diagnostics.Metrics;

namespace Clearway.Data.Statistics;

/// <summary>
/// The query statistics' headline numbers as gauges (the dashboard's metrics page charts them while the app runs):
/// read from the last sample <see cref="StatisticsSampler"/> took, never from the database inside a collection.
/// </summary>
internal static class StatisticsTelemetry
{
    private static readonly Meter Meter = new(DataTelemetry.Name);
    private static QueryHeadline? _last;

    public static readonly ObservableGauge<long> Statements = Meter.CreateObservableGauge(
        "clearway.queries.statements", () => Observe(h => h.Statements), unit: "{statement}",
        description: "Normalized statements pg_stat_statements tracks for the database since the last reset.");

    public static readonly ObservableGauge<double> SlowestMean = Meter.CreateObservableGauge(
        "clearway.queries.slowest_mean", () => Observe(h => h.SlowestMeanMs), unit: "ms",
        description: "The highest mean execution time among the database's tracked statements.");

    public static void Record(QueryHeadline? headline) => Volatile.Write(ref _last, headline);

    private static IEnumerable<Measurement<T>> Observe<T>(Func<QueryHeadline, T> value) where T : struct =>
        Volatile.Read(ref _last) is { } headline ? [new Measurement<T>(value(headline))] : [];
}
