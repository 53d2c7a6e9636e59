using Clearway.Data.Hosting;
using Clearway.States.Hosting;

namespace Clearway.DatabaseManager;

/// <summary>What the manager runs: the views schedule, the database's states, and the key its commands must carry.</summary>
internal static class ManagerHosting
{
    /// <summary>
    /// The views refreshed every <paramref name="every"/> (with the database through the Aspire client integration),
    /// <see cref="States.DatabaseStates"/> with the seeder's options as the default recipe of a reset, the query statistics
    /// and their gauges, and the command key.
    /// </summary>
    public static WebApplicationBuilder AddDatabaseManager(this WebApplicationBuilder builder, TimeSpan every)
    {
        builder.AddClearwayViewRefresher(every);
        builder.AddClearwayQueryStatistics();
        builder.AddSeederOptions();
        builder.AddClearwayDatabaseStates();
        builder.Services.AddCommandKey(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
