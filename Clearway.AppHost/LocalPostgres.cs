using Clearway.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Clearway.AppHost;

/// <summary>
/// Mode local: PostgreSQL from this machine's server binaries, run by Aspire as the executable resource <c>postgres</c>
/// (no container engine needed). The cluster is Clearway.Postgres's, as for <c>clearway up</c> and the test fixture:
/// owner-only, a password kept in the directory (the same on every run, like the container's), durable; the AppHost
/// holds the directory's lock for its lifetime, so it and an <c>up</c> never share one.
/// </summary>
internal static class LocalPostgres
{
    public const string HealthCheckName = "postgres-local";

    public static IResourceBuilder<IResourceWithConnectionString> AddLocalPostgres(this IDistributedApplicationBuilder builder, PostgresSettings settings)
    {
        var cluster = PostgresCluster.Prepare(new PostgresClusterOptions
        {
            Directory = settings.DataDirectory ?? Path.Combine(ClearwayDataFolder.Default, "apphost-postgres"),
            SlowQueryMs = settings.SlowQueryMs,
        });
        builder.Services.AddHostedService(_ => new ClusterLease(cluster));

        var server = cluster.ForegroundCommand;
        var postgres = builder.AddExecutable(ClearwayPostgres.ServerName, server.FileName, server.WorkingDirectory, [.. server.Arguments])
            .WithEndpoint(port: cluster.Port, targetPort: cluster.Port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithHealthCheck(HealthCheckName);
        foreach (var (name, value) in server.Environment)
            postgres.WithEnvironment(name, value);

        var admin = cluster.ConnectionString();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(HealthCheckName, _ => new AcceptsConnections(admin), null, null));

        var password = builder.AddParameter("postgres-password", cluster.Password, secret: true);
        var database = new NpgsqlConnectionStringBuilder(cluster.ConnectionString(ClearwayConnectionString.Name)) { Password = null };
        return builder.AddConnectionString(ClearwayConnectionString.Name, ReferenceExpression.Create($"{database.ConnectionString};Password={password}"))
            .WaitFor(postgres);
    }

    /// <summary>Holds the cluster (and its directory lock) while the AppHost runs; lets it go when the AppHost stops.</summary>
    private sealed class ClusterLease(PostgresCluster cluster) : Microsoft.Extensions.Hosting.IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            cluster.Dispose();
            return Task.CompletedTask;
        }
    }

    /// <summary>Healthy once the server accepts a password login on its TCP port (what the workers will do).</summary>
    private sealed class AcceptsConnections(string connectionString) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=5");
                await connection.OpenAsync(cancellationToken);
                return HealthCheckResult.Healthy("PostgreSQL accepts connections.");
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"PostgreSQL does not accept connections yet: {e.Message}");
            }
        }
    }
}
