using Clearway.Data.Conventions;
using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;

namespace Clearway.Data;

/// <summary>The Clearway schema as the Node/Prisma app expects it (SCHEMA.md section 3).</summary>
public class ClearwayDbContext(DbContextOptions<ClearwayDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Document> Documents => Set<Document>();
    public DbSet<CapitalCall> CapitalCalls => Set<CapitalCall>();

    public DbSet<AccountingConnection> AccountingConnections => Set<AccountingConnection>();
    public DbSet<AccountingTransaction> AccountingTransactions => Set<AccountingTransaction>();
    public DbSet<SignatureRequest> SignatureRequests => Set<SignatureRequest>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<BankAccount> BankAccounts => Set<BankAccount>();
    public DbSet<StatementReconciliation> StatementReconciliations => Set<StatementReconciliation>();

    public DbSet<FundAdministrator> FundAdministrators => Set<FundAdministrator>();
    public DbSet<FundAdminConnection> FundAdminConnections => Set<FundAdminConnection>();
    public DbSet<InvestorMapping> InvestorMappings => Set<InvestorMapping>();
    public DbSet<FundMapping> FundMappings => Set<FundMapping>();
    public DbSet<FundAdminSync> FundAdminSyncs => Set<FundAdminSync>();
    public DbSet<UnmappedInvestor> UnmappedInvestors => Set<UnmappedInvestor>();
    public DbSet<WebhookLog> WebhookLogs => Set<WebhookLog>();

    public DbSet<AuditLog> AuditLogs => Set<AuditLog>();
    public DbSet<LegalHold> LegalHolds => Set<LegalHold>();
    public DbSet<DataProcessingAgreement> DataProcessingAgreements => Set<DataProcessingAgreement>();

    public DbSet<OrganizationMember> OrganizationMembers => Set<OrganizationMember>();
    public DbSet<OrganizationRole> OrganizationRoles => Set<OrganizationRole>();
    public DbSet<OrganizationInvite> OrganizationInvites => Set<OrganizationInvite>();
    public DbSet<SsoConnection> SsoConnections => Set<SsoConnection>();

    public DbSet<ScheduledReport> ScheduledReports => Set<ScheduledReport>();
    public DbSet<ReportExecution> ReportExecutions => Set<ReportExecution>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresEnum<DocumentStatus>(name: nameof(DocumentStatus));
        modelBuilder.HasPostgresEnum<CapitalCallStatus>(name: nameof(CapitalCallStatus));
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ClearwayDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SCHEMA.md D1: TIMESTAMP(3) without time zone, DECIMAL(15,2), camelCase names, Prisma constraint names.
        configurationBuilder.Properties<DateTime>().HaveColumnType("timestamp(3) without time zone");
        configurationBuilder.Properties<decimal>().HavePrecision(15, 2);
        configurationBuilder.Properties<string>().HaveColumnType("text");
        // Only the indexes SCHEMA.md lists exist; EF must not invent one per foreign key.
        configurationBuilder.Conventions.Remove<ForeignKeyIndexConvention>();
        configurationBuilder.Conventions.Add(_ => new PrismaNamingConvention());
    }
}
