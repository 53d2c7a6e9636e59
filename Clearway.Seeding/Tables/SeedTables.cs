using Clearway.Seeding.Copy;

namespace Clearway.Seeding.Tables;

/// <summary>
/// The 28 tables in write (foreign-key) order: the one list the seeder's table order, plan and writer come from
/// (the schema's own list is <c>SchemaManifest.Tables</c>; a test holds the two to the same set).
/// </summary>
internal static class SeedTables
{
    public static IReadOnlyList<TableSpec> All { get; } =
    [
        TenancyTables.Organizations, TenancyTables.Users, TenancyTables.FundAdministrators,
        TenancyTables.Roles, TenancyTables.Members, TenancyTables.Invites, TenancyTables.Sso,
        FundAdminTables.FundAdminConnections, FundAdminTables.FundMappings, FundAdminTables.InvestorMappings,
        FundAdminTables.UnmappedInvestors, FundAdminTables.FundAdminSyncs, FundAdminTables.WebhookLogs,
        CallTables.Documents, CallTables.CapitalCalls,
        PaymentTables.BankAccounts, PaymentTables.Statements, PaymentTables.Payments,
        IntegrationTables.AccountingConnections, IntegrationTables.AccountingTransactions, IntegrationTables.SignatureRequests,
        IntegrationTables.WebhookEndpoints, IntegrationTables.WebhookDeliveries,
        ComplianceTables.AuditLogs, ComplianceTables.LegalHolds, ComplianceTables.Dpas,
        ReportingTables.ScheduledReports, ReportingTables.ReportExecutions,
    ];
}
