using Clearway.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What Aspire.Npgsql.EntityFrameworkCore.PostgreSQL's <c>AddNpgsqlDbContext</c> would give the workers
/// (not served here, so done by hand): the context from a named connection string, retry on transient
/// failures, and a DbContext health check. Npgsql tracing and metrics come from <see cref="Extensions.AddServiceDefaults{TBuilder}"/>.
/// </summary>
public static class ClearwayDbContextExtensions
{
    /// <summary>The connection string name every Clearway host uses.</summary>
    public const string DefaultConnectionName = "clearway";

    /// <summary>Registers a pooled <see cref="ClearwayDbContext"/> on <c>ConnectionStrings:{connectionName}</c>.</summary>
    /// <exception cref="InvalidOperationException">The connection string is not configured.</exception>
    public static IHostApplicationBuilder AddClearwayDbContext(this IHostApplicationBuilder builder,
        string connectionName = DefaultConnectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Connection string 'ConnectionStrings:{connectionName}' is not set (environment variable ConnectionStrings__{connectionName}).");
        }

        builder.Services.AddDbContextPool<ClearwayDbContext>(options =>
            options.UseClearway(connectionString, npgsql => npgsql.EnableRetryOnFailure()));

        builder.Services.AddHealthChecks().AddDbContextCheck<ClearwayDbContext>(nameof(ClearwayDbContext));
        return builder;
    }
}
