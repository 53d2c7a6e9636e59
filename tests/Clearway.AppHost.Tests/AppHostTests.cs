using Clearway.Data.Schema;
using Npgsql;

namespace Clearway.AppHost.Tests;

/// <summary>The whole dev environment end to end: Postgres container -> migrations -> seeder.</summary>
public sealed class AppHostTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    // SCHEMA.md section 3 (3.1-3.28).
    private static readonly string[] Tables =
    [
        "User", "Organization", "Document", "CapitalCall",
        "AccountingConnection", "AccountingTransaction", "SignatureRequest", "WebhookEndpoint", "WebhookDelivery",
        "Payment", "BankAccount", "StatementReconciliation",
        "FundAdministrator", "FundAdminConnection", "InvestorMapping", "FundMapping", "FundAdminSync",
        "UnmappedInvestor", "WebhookLog",
        "AuditLog", "LegalHold", "DataProcessingAgreement",
        "OrganizationMember", "OrganizationRole", "OrganizationInvite", "SSOConnection",
        "ScheduledReport", "ReportExecution",
    ];

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

        Assert.Equal(28, Tables.Length);
        var empty = new List<string>();
        foreach (var table in Tables)
        {
#pragma warning disable CA2100 // The table names are the constants above.
            await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM \"{table}\")", connection);
#pragma warning restore CA2100
            if (await command.ExecuteScalarAsync(ct) is not true)
            {
                empty.Add(table);
            }
        }

        Assert.Empty(empty);
    }

    /// <summary>Waits until the resource reaches a terminal state (Finished, Exited or FailedToStart).</summary>
    private static Task<ResourceEvent> WaitForExitAsync(DistributedApplication app, string resourceName, CancellationToken ct) =>
        app.ResourceNotifications.WaitForResourceAsync(
            resourceName,
            e => e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state),
            ct);
}
