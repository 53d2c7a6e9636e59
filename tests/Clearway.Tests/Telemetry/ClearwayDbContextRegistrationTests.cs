using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Clearway.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Clearway.Tests.Telemetry;

/// <summary>AddClearwayDbContext: ConnectionStrings:clearway, retry on transient failures, the database health check.</summary>
public sealed class ClearwayDbContextRegistrationTests(PostgresServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Missing_connection_string_fails_with_one_line_naming_it()
    {
        var builder = TelemetryHost.CreateBuilder(new Dictionary<string, string?>());

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddClearwayDbContext());

        Assert.Contains("ConnectionStrings:clearway", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Context_resolves_with_retry_and_the_health_checks_are_healthy_against_the_server()
    {
        var database = await server.Server.CreateDatabaseAsync(cancellationToken: Ct);
        try
        {
            using var host = BuildHost(server.Server.ConnectionStringFor(database));

            await using (var scope = host.Services.CreateAsyncScope())
            {
                var context = scope.ServiceProvider.GetRequiredService<ClearwayDbContext>();
                Assert.True(context.Database.CreateExecutionStrategy().RetriesOnFailure);
                Assert.Equal(database, context.Database.GetDbConnection().Database);
            }

            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
            Assert.Equal(["ClearwayDbContext", "self"], report.Entries.Keys.Order());
            Assert.All(report.Entries.Values, e => Assert.Equal(HealthStatus.Healthy, e.Status));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.Server.DropDatabaseAsync(database, Ct);
        }
    }

    [Fact]
    public async Task Database_health_check_is_unhealthy_against_an_unreachable_port()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(server.Server.AdminConnectionString)
        {
            Host = "127.0.0.1",
            Port = ClosedPort(),
            Timeout = 2,
        };
        using var host = BuildHost(unreachable.ConnectionString);

        var clock = Stopwatch.StartNew();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        // One probe, not the retry strategy's minute of backoff.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.IsType<NpgsqlException>(report.Entries["ClearwayDbContext"].Exception, exactMatch: false);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["ClearwayDbContext"].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["self"].Status);
    }

    private static IHost BuildHost(string connectionString)
    {
        var builder = TelemetryHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["ConnectionStrings:clearway"] = connectionString,
        });
        builder.AddServiceDefaults();
        builder.AddClearwayDbContext();
        return builder.Build();
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
