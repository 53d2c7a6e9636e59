using Clearway.Data.Schema;
using Microsoft.Extensions.Logging;

namespace Clearway.AppHost;

/// <summary>The dashboard command that stands in, at dev time, for the hourly materialized-view refresh job.</summary>
internal static class MaterializedViewsCommand
{
    public const string Name = "refresh-materialized-views";

    public static IResourceBuilder<T> WithRefreshMaterializedViewsCommand<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithConnectionString =>
        builder.WithCommand(
            Name,
            "Refresh materialized views",
            async context =>
            {
                var connectionString = await builder.Resource.ConnectionStringExpression.GetValueAsync(context.CancellationToken);
                if (string.IsNullOrEmpty(connectionString))
                {
                    return CommandResults.Failure($"The '{builder.Resource.Name}' connection string is not available yet.");
                }

                try
                {
                    await MaterializedViews.RefreshConcurrentlyAsync(connectionString, context.CancellationToken);
                    return CommandResults.Success("Materialized views refreshed.");
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    context.Logger.LogError(ex, "Refreshing the materialized views failed: {Error}", ex.Message);
                    return CommandResults.Failure(ex);
                }
            },
            new CommandOptions
            {
                Description = "REFRESH MATERIALIZED VIEW CONCURRENTLY on both Clearway views (the hourly job, on demand).",
                IconName = "ArrowSync",
                IconVariant = IconVariant.Regular,
            });
}
