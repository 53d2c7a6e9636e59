using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Clearway.States;

/// <summary>The ActivitySource and Meter of Clearway.States: a span and a duration for each template build, clone and swap.</summary>
public static class StateTelemetry
{
    public const string Name = "Clearway.States";

    internal static readonly ActivitySource Source = new(Name);
    internal static readonly Meter Meter = new(Name);

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "clearway.states.duration", unit: "s", description: "Time of one template build, clone, swap or snapshot, tagged with the operation.");

    internal static void Record(string operation, TimeSpan elapsed) =>
        Duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));
}
