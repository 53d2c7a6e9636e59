using Clearway.Data.Statistics;
using Clearway.Hosting;

namespace Clearway.DatabaseManager;

/// <summary>The dashboard's statistics commands (<see cref="ManagerApi"/>): top statements, their reset, index usage.</summary>
internal static class StatisticsEndpoints
{
    public static void MapStatisticsEndpoints(this RouteGroupBuilder commands)
    {
        commands.MapPost(ManagerApi.QueriesPath, async (int? top, DatabaseStatistics statistics, CancellationToken ct) =>
        {
            if (top is { } asked && DatabaseStatistics.CheckTop(asked) is { } problem)
                return Results.Json(new CommandReply(problem + ".", problem + "."), statusCode: StatusCodes.Status400BadRequest);
            var report = await statistics.TopAsync(top ?? DatabaseStatistics.DefaultTop, ct);
            return Results.Json(new CommandReply(report.Summary, report.ToString()));
        });
        commands.MapPost(ManagerApi.ResetStatisticsPath, async (DatabaseStatistics statistics, CancellationToken ct) =>
        {
            var line = await statistics.ResetAsync(ct);
            return Results.Json(new CommandReply(line, line));
        });
        commands.MapPost(ManagerApi.IndexesPath, async (DatabaseStatistics statistics, CancellationToken ct) =>
        {
            var report = await statistics.IndexesAsync(ct);
            return Results.Json(new CommandReply(report.Summary, report.ToString()));
        });
    }
}
