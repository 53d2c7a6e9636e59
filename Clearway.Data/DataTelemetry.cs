using System.Diagnostics;
using System.Diagnostics.Metrics;
using Clearway.Data.Migrator;

namespace Clearway.Data;

/// <summary>The trace source and meter of the Clearway.Data library: a span per migration (and, through <see cref="Views.ViewTelemetry"/>, per view refresh), counters and histograms.</summary>
public static class DataTelemetry
{
    /// <summary>Name of the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "Clearway.Data";

    internal static readonly ActivitySource Source = new(Name);
    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Applied = Meter.CreateCounter<long>(
        "clearway.migrations.applied", unit: "{migration}", description: "Migrations applied (direction up) or reverted (down).");

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "clearway.migrations.duration", unit: "s", description: "Time to run one migration, commit included.");

    internal static Activity? StartMigration(MigrationInfo migration, MigrationDirection direction)
    {
        var activity = Source.StartActivity($"migration {direction.Text()} {migration.Name}");
        activity?.SetTag("clearway.migration.name", migration.Name);
        activity?.SetTag("clearway.migration.id", migration.Id);
        activity?.SetTag("clearway.migration.version", migration.Version);
        activity?.SetTag("clearway.migration.direction", direction.Text());
        return activity;
    }

    internal static void Record(Activity? activity, MigrationInfo migration, MigrationDirection direction, int statements, TimeSpan elapsed, bool success)
    {
        activity?.SetTag("clearway.migration.statement_count", statements);
        activity?.SetTag("clearway.migration.duration_ms", elapsed.TotalMilliseconds);
        activity?.SetStatus(success ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
        var tags = new TagList
        {
            { "clearway.migration.name", migration.Name },
            { "clearway.migration.direction", direction.Text() },
            { "clearway.migration.outcome", success ? "success" : "failure" },
        };
        Duration.Record(elapsed.TotalSeconds, tags);
        if (success)
            Applied.Add(1, tags);
    }
}
