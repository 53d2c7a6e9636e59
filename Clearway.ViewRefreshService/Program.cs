using System.CommandLine;
using Clearway.Data;
using Clearway.Data.Migrator;
using Clearway.Data.Views;
using Clearway.ViewRefreshService;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// The views worker: refreshes both materialized views on a schedule until stopped (the app's hourly job, at dev time).
// Exit codes: 0 stopped, 1 failed to start, 2 bad input (one line on stderr).
var every = new Option<TimeSpan>("--every")
{
    Description = "How often to refresh: 30s, 5m, 1h, 1d [default: 1h]",
    HelpName = "interval",
    DefaultValueFactory = _ => RefreshInterval.Default,
    CustomParser = result =>
    {
        try
        {
            return RefreshInterval.Parse(result.Tokens.Count == 1 ? result.Tokens[0].Value : null);
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
            return default;
        }
    },
};
var root = new RootCommand("Refreshes both Clearway materialized views CONCURRENTLY on a schedule; GET /health says how stale they are.") { every };
root.TreatUnmatchedTokensAsErrors = false; // host arguments (--environment, --urls, ...) belong to the web host
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    await Console.Error.WriteLineAsync($"clearway-views: {parsed.Errors[0].Message.TrimEnd('.')}. Fix: see --help.");
    return ExitCodes.Refused;
}
if (parsed.Action is System.CommandLine.Help.HelpAction)
    return await parsed.InvokeAsync();

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. parsed.UnmatchedTokens], ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults();
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing.AddSource(MigrationTelemetry.Name))
    .WithMetrics(metrics => metrics.AddMeter(MigrationTelemetry.Name));
if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ClearwayConnectionString.Name)))
{
    await Console.Error.WriteLineAsync($"clearway-views: {ClearwayConnectionString.NotSetMessage}.");
    return ExitCodes.Refused;
}
builder.AddNpgsqlDataSource(ClearwayConnectionString.Name);
builder.Services.AddSingleton(new RefreshSchedule(parsed.GetValue(every)));
builder.Services.AddSingleton<ViewRefresher>();
builder.Services.AddHostedService<RefreshLoop>();
builder.Services.AddHealthChecks().AddCheck<ViewFreshnessCheck>(ViewFreshnessCheck.Name);

var app = builder.Build();
app.MapDefaultEndpoints();
// How stale the views are, in words (the AppHost shows this line as the resource's health): 200 fresh, 503 stale.
app.MapGet("/freshness", async (HealthCheckService health, CancellationToken ct) =>
{
    var report = await health.CheckHealthAsync(check => check.Name == ViewFreshnessCheck.Name, ct);
    var entry = report.Entries[ViewFreshnessCheck.Name];
    return Results.Text(entry.Description, statusCode: entry.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
});
// The dashboard's "Refresh materialized views" command: a refresh now, through the same refresher as the schedule.
app.MapPost("/refresh", async (ViewRefresher refresher, CancellationToken ct) =>
{
    try
    {
        return Results.Text((await refresher.RefreshAsync(ct)).ToString());
    }
    catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
    {
        return Results.Text($"Refreshing the materialized views failed: {e.Message}", statusCode: StatusCodes.Status500InternalServerError);
    }
});
await app.RunAsync();
return ExitCodes.Success;
