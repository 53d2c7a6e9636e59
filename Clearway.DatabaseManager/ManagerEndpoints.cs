using Clearway.Data.Schema;
using Clearway.Hosting;
using Clearway.Data.Views;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Clearway.DatabaseManager;

/// <summary>
/// The manager's HTTP surface (<see cref="ManagerApi"/>): how stale the views are (the AppHost shows it as the resource's
/// health), and the dashboard's commands (Aspire HTTP commands carrying the AppHost's key), each answering a
/// <see cref="CommandReply"/>.
/// </summary>
internal static class ManagerEndpoints
{
    public static void MapManagerEndpoints(this WebApplication app)
    {
        app.MapGet(ManagerApi.FreshnessPath, async (HealthCheckService health, CancellationToken ct) =>
        {
            var report = await health.CheckHealthAsync(check => check.Name == ViewStalenessCheck.Name, ct);
            var entry = report.Entries[ViewStalenessCheck.Name];
            return Results.Json(new HealthReply(entry.Status.ToString(), entry.Description ?? ""));
        });

        var commands = app.MapGroup("").RequireCommandKey().AnswerFailures();
        commands.MapStateEndpoints();
        commands.MapStatisticsEndpoints();
        commands.MapPost(ManagerApi.RefreshViewsPath, async (ViewRefresher refresher, CancellationToken ct) =>
        {
            var refresh = await refresher.RefreshAsync(ct);
            return Results.Json(new CommandReply(refresh.ToString(), refresh.ToString()));
        });
        commands.MapPost(ManagerApi.VerifySchemaPath, async (NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            var report = await SchemaVerifier.VerifyAsync(connection, ct);
            var summary = report.IsValid
                ? report.Summary
                : $"The schema differs from the manifest ({report.Errors.Count()}): {string.Join("; ", report.Errors.Take(5).Select(f => $"{f.Kind} {f.Subject}"))}";
            return Results.Json(new CommandReply(summary, report.ToString()), statusCode: report.IsValid ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
        });
    }
}
