using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Clearway.TestDatabases;

/// <summary>What the dashboard shows of the service: databases handed out, how long a request waited, how many are ready.</summary>
public static class TestDatabaseTelemetry
{
    public const string Name = "Clearway.TestDatabases";

    internal static readonly ActivitySource Source = new(Name);
    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> HandedOut = Meter.CreateCounter<long>(
        "clearway.testdbs.handed_out", unit: "{database}", description: "Test databases handed out, tagged with the template hash.");

    internal static readonly Histogram<double> Wait = Meter.CreateHistogram<double>(
        "clearway.testdbs.wait", unit: "s", description: "How long a request for a test database waited for one.");

    internal static readonly Counter<long> Reclaimed = Meter.CreateCounter<long>(
        "clearway.testdbs.reclaimed", unit: "{database}", description: "Test databases whose lease ran out, dropped and made again.");
}
