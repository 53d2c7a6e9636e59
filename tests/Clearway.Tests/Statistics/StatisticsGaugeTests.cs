using System.Diagnostics.Metrics;
using Clearway.Data.Statistics;
using Clearway.Data;
using Clearway.Seeding;
using Clearway.Testing.Xunit;
using Clearway.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clearway.Tests.Statistics;

/// <summary>The headline numbers as the dashboard's metrics page reads them: gauges on Clearway.Data's meter, from the last sample.</summary>
public sealed class StatisticsGaugeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_a_sample_the_gauges_report_the_statements_tracked_and_the_slowest_mean()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        await QueryBurst.RunAsync(db.ConnectionString, Ct);
        var sampler = new StatisticsSampler(new DatabaseStatistics(db.ConnectionString), NullLogger<StatisticsSampler>.Instance);

        var headline = await sampler.SampleAsync(Ct);

        Assert.NotNull(headline);
        // The burst's two statements, the lookup of users, the settings and the flush at least.
        Assert.True(headline.Statements >= 4, $"{headline.Statements} statement(s) tracked");
        Assert.True(headline.SlowestMeanMs > 0, $"slowest mean {headline.SlowestMeanMs} ms");
        var observed = Observe();
        Assert.Equal(headline.Statements, Convert.ToInt64(observed["clearway.queries.statements"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(headline.SlowestMeanMs, Convert.ToDouble(observed["clearway.queries.slowest_mean"], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>What a metrics exporter would collect now from the two gauges.</summary>
    private static Dictionary<string, object> Observe()
    {
        var values = new Dictionary<string, object>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == DataTelemetry.Name && instrument.Name.StartsWith("clearway.queries.", StringComparison.Ordinal))
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }
}
