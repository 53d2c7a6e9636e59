using System.Security.Cryptography;
using Clearway.States.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Clearway.TestDatabases;

/// <summary>The service's registration and routes, for any web host (the CLI's <c>test-server</c>, which the AppHost runs as <c>testdbs</c>).</summary>
public static class TestDatabaseHosting
{
    /// <summary>
    /// Registers the service on the host's <c>ConnectionStrings:clearway</c> server (its own databases, never that one):
    /// <c>Clearway:TestDatabases:*</c> options (a token made now when none is given; checked at start), the template store,
    /// the telemetry, and the lease reaper.
    /// </summary>
    public static WebApplicationBuilder AddClearwayTestDatabases(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TestDatabaseOptions>().BindConfiguration(TestDatabaseOptions.Section)
            .PostConfigure(o => o.Token = string.IsNullOrEmpty(o.Token) ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : o.Token)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TestDatabaseOptions>, TestDatabaseOptionsValidator>();
        builder.AddClearwayDatabaseStates();
        // ASP.NET Core's request lines hold the path, and the path holds the token.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.Services.TryAddTimeProvider();
        builder.Services.AddSingleton<TestDatabaseService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TestDatabaseService>());
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(TestDatabaseTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(TestDatabaseTelemetry.Name));
        return builder;
    }

    /// <summary>The API under the token, and 404 for everything else; returns the token (the base URL's secret segment).</summary>
    public static string MapClearwayTestDatabases(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var token = app.Services.GetRequiredService<IOptions<TestDatabaseOptions>>().Value.Token!;
        app.MapClearwayTestDatabases(token);
        app.MapNotFound();
        return token;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(s => s.ServiceType == typeof(TimeProvider)))
            services.AddSingleton(TimeProvider.System);
    }

    private sealed class TestDatabaseOptionsValidator : IValidateOptions<TestDatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, TestDatabaseOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
