using Clearway.Data;
using Clearway.Hosting;
using Clearway.Data.Migrator;
using Clearway.Seeding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Clearway.States.Hosting;

/// <summary>The seeder worker's registration: the seed <see cref="SeederOptions"/> ask for, put in place once through the template store.</summary>
public static class SeederHosting
{
    /// <summary>
    /// Registers the seeder: <c>Seeder:*</c> options (bound, then <paramref name="commandLine"/> on top, validated at start),
    /// the template store's <c>Clearway:States:*</c> limits, the database through the Aspire Npgsql client integration
    /// (Clearway's enum mappings, no command timeout: a COPY, an index build or a key validation of a large profile takes
    /// as long as it takes), the telemetry of Clearway.Seeding and Clearway.States, and the run-to-completion worker.
    /// Production, or a missing or malformed connection string, throws (exit 2).
    /// </summary>
    public static IHostApplicationBuilder AddClearwaySeeder(this IHostApplicationBuilder builder, Action<SeederOptions>? commandLine = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        SeedRunner.EnsureNotProduction(builder.Environment.EnvironmentName);
        ClearwayConnectionString.Parse(builder.Configuration.GetConnectionString(ClearwayConnectionString.Name));

        builder.AddSeederOptions(commandLine);
        builder.AddNpgsqlDataSource(ClearwayConnectionString.Name, configureDataSourceBuilder: dataSource =>
        {
            ClearwayNpgsql.MapEnums(dataSource);
            dataSource.ConnectionStringBuilder.CommandTimeout = 0;
        });
        builder.AddClearwayDatabaseStates();
        builder.Services.AddMigratorOptions();
        builder.Services.AddSingleton(services => new SeedJob(services.GetRequiredService<IOptions<SeederOptions>>().Value.ToSeedOptions(),
            services.GetRequiredService<IOptions<MigratorOptions>>().Value.ServerWaitLimit));
        builder.Services.AddRunToCompletion<SeederWorker>();
        return builder;
    }

    /// <summary>Binds the <c>Seeder:*</c> options, <paramref name="commandLine"/> on top, checked when the host starts.</summary>
    public static IHostApplicationBuilder AddSeederOptions(this IHostApplicationBuilder builder, Action<SeederOptions>? commandLine = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<SeederOptions>().BindConfiguration(SeederOptions.Section);
        if (commandLine is not null)
            options.Configure(commandLine);
        options.ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SeederOptions>, SeederOptionsValidator>();
        return builder;
    }

    /// <summary>Checks the bound settings the way the seeder reads them (the seeder's own words for a bad value).</summary>
    private sealed class SeederOptionsValidator : IValidateOptions<SeederOptions>
    {
        public ValidateOptionsResult Validate(string? name, SeederOptions options)
        {
            try
            {
                options.ToSeedOptions();
                return ValidateOptionsResult.Success;
            }
            catch (SeedInputException e)
            {
                return ValidateOptionsResult.Fail(e.Message);
            }
        }
    }

    /// <summary>
    /// Registers <see cref="DatabaseStates"/> for the host's database (<c>ConnectionStrings:clearway</c>), the store's <c>Clearway:States:*</c> limits (checked at start), and the
    /// telemetry of Clearway.States, Clearway.Seeding and Clearway.Data (template builds migrate and seed).
    /// </summary>
    public static IHostApplicationBuilder AddClearwayDatabaseStates(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TemplateStoreOptions>().BindConfiguration(TemplateStoreOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TemplateStoreOptions>, TemplateStoreOptionsValidator>();
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(StateTelemetry.Name, SeedTelemetry.Name, Data.DataTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(StateTelemetry.Name, SeedTelemetry.Name, Data.DataTelemetry.Name));
        // The configured connection string, not the data source's: that one no longer carries the password.
        builder.Services.AddSingleton(services => new DatabaseStates(
            services.GetRequiredService<IConfiguration>().GetConnectionString(ClearwayConnectionString.Name) ?? "",
            services.GetRequiredService<IOptions<TemplateStoreOptions>>().Value, services.GetRequiredService<ILoggerFactory>()));
        return builder;
    }

    private sealed class TemplateStoreOptionsValidator : IValidateOptions<TemplateStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, TemplateStoreOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
