using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Clearway.Data.Migrator;

/// <summary>The trace source and meter of Clearway.Data: a span per migration, a counter and a duration histogram.</summary>
public static class MigrationTelemetry
{
    /// <summary>Name of the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "Clearway.Data";

    internal static readonly ActivitySource Source = new(Name);
    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Applied = Meter.CreateCounter<long>(
        "clearway.migrations.applied", unit: "{migration}", description: "Migrations applied (direction up) or reverted (down).");

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "clearway.migrations.duration", unit: "s", description: "Time to run one migration, commit included.");

    internal static Activity? StartMigration(MigrationInfo migration, string direction)
    {
        var activity = Source.StartActivity($"migration {direction} {migration.Name}");
        activity?.SetTag("clearway.migration.name", migration.Name);
        activity?.SetTag("clearway.migration.id", migration.Id);
        activity?.SetTag("clearway.migration.version", migration.Version);
        activity?.SetTag("clearway.migration.direction", direction);
        return activity;
    }

    internal static void Record(Activity? activity, MigrationInfo migration, string direction, int statements, TimeSpan elapsed, bool success)
    {
        activity?.SetTag("clearway.migration.statement_count", statements);
        activity?.SetTag("clearway.migration.duration_ms", elapsed.TotalMilliseconds);
        activity?.SetStatus(success ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
        var tags = new TagList
        {
            { "clearway.migration.name", migration.Name },
            { "clearway.migration.direction", direction },
            { "clearway.migration.outcome", success ? "success" : "failure" },
        };
        Duration.Record(elapsed.TotalSeconds, tags);
        if (success)
            Applied.Add(1, tags);
    }
}
