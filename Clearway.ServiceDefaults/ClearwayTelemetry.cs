namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The names of the ActivitySources and Meters the Clearway libraries publish (one per library, named after it).
/// <see cref="Extensions.AddServiceDefaults{TBuilder}"/> subscribes to all of them.
/// </summary>
public static class ClearwayTelemetry
{
    /// <summary>ActivitySource and Meter of Clearway.Data (a span per migration).</summary>
    public const string DataSourceName = "Clearway.Data";

    /// <summary>ActivitySource and Meter of Clearway.Seeding (a span per seeded table).</summary>
    public const string SeedingSourceName = "Clearway.Seeding";

    /// <summary>ActivitySource and Meter that Npgsql publishes.</summary>
    public const string NpgsqlMeterName = "Npgsql";

    /// <summary>Every Clearway library source, in the order they run.</summary>
    public static IReadOnlyList<string> LibrarySources { get; } = [DataSourceName, SeedingSourceName];
}
