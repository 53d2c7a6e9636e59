using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Clearway.Seeding;

/// <summary>The ActivitySource and Meter of Clearway.Seeding (one span per table, a counter of rows written).</summary>
public static class SeedTelemetry
{
    /// <summary>Name of both the ActivitySource and the Meter (matches ClearwayTelemetry.SeedingSourceName).</summary>
    public const string Name = "Clearway.Seeding";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Rows written, tagged with <c>db.table</c>.</summary>
    public static readonly Counter<long> RowsWritten = Meter.CreateCounter<long>("clearway.seeding.rows_written", "{row}", "Rows written by the seeder");

    /// <summary>Seconds per table, tagged with <c>db.table</c>.</summary>
    public static readonly Histogram<double> TableDuration = Meter.CreateHistogram<double>("clearway.seeding.table.duration", "s", "Time to generate and write one table");
}
