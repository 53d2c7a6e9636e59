using Clearway.Data;
using Microsoft.EntityFrameworkCore;
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

        // The probe runs once, outside the retry strategy: the default test (CanConnectAsync) retries through
        // EnableRetryOnFailure and reports an unreachable server only after about a minute.
        builder.Services.AddHealthChecks().AddDbContextCheck<ClearwayDbContext>(nameof(ClearwayDbContext),
            customTestQuery: ProbeOnceAsync);
        return builder;
    }

    /// <summary>Opens the context's connection and runs <c>SELECT 1</c>; a failure surfaces as Unhealthy with its exception.</summary>
    private static async Task<bool> ProbeOnceAsync(ClearwayDbContext context, CancellationToken cancellationToken)
    {
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            return Equals(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), 1);
        }
        finally
        {
            await connection.CloseAsync().ConfigureAwait(false);
        }
    }
}
