using Clearway.Data.Schema;
using Clearway.Seeding;
using Npgsql;

namespace Clearway.AppHost.Tests;

/// <summary>The whole dev environment end to end: Postgres container -> migrations -> seeder.</summary>
public sealed class AppHostTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Migrations_and_seeder_finish_and_leave_a_verified_seeded_database()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);
        var ct = timeout.Token;

        // No ConnectionStrings:clearway here, so the AppHost uses the container.
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Clearway_AppHost>(ct);
        appHost.WithSessionContainers().WithRandomVolumeNames().WithRandomPostgresPassword();

        await using var app = await appHost.BuildAsync(ct);
        await app.StartAsync(ct);

        var migrations = await WaitForExitAsync(app, "migrations", ct);
        Assert.Equal(0, migrations.Snapshot.ExitCode);
        var seeder = await WaitForExitAsync(app, "seeder", ct);
        Assert.Equal(0, seeder.Snapshot.ExitCode);

        var connectionString = await app.GetConnectionStringAsync("clearway", ct);
        Assert.False(string.IsNullOrEmpty(connectionString));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);

        var report = await SchemaVerifier.VerifyAsync(connection, ct);
        Assert.True(report.IsValid, report.ToString());

        // The AppHost's default parameters (appsettings.json): profile dev, seed 42.
        var plan = SeedPlan.For(SeedProfile.Dev);
        Assert.Equal(SchemaManifest.Tables.Select(t => t.Name).Order(StringComparer.Ordinal), plan.Tables.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var table in plan.Tables)
        {
#pragma warning disable CA2100 // Table names come from the seed plan, not from input.
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{table.Name}\"", connection);
#pragma warning restore CA2100
            var rows = (long)(await command.ExecuteScalarAsync(ct))!;
            if (table.IsEstimate)
                Assert.True(rows > 0, $"{table.Name} is empty");
            else
                Assert.Equal((table.Name, table.Rows), (table.Name, rows));
        }
    }

    /// <summary>Waits until the resource reaches a terminal state (Finished, Exited or FailedToStart).</summary>
    private static Task<ResourceEvent> WaitForExitAsync(DistributedApplication app, string resourceName, CancellationToken ct) =>
        app.ResourceNotifications.WaitForResourceAsync(
            resourceName,
            e => e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state),
            ct);
}
