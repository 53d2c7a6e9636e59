using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Clearway.Data.Migrations
{
    /// <inheritdoc />
    // AddColumn order edited by hand to follow SCHEMA.md 3.4 (EF emits them alphabetically).
    public partial class Phase2CompleteSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "customDomain",
                table: "Organization",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "plan",
                table: "Organization",
                type: "text",
                nullable: false,
                defaultValue: "STARTER");

            migrationBuilder.AddColumn<string>(
                name: "settings",
                table: "Organization",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "paidAt",
                table: "CapitalCall",
                type: "timestamp(3) without time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "CapitalCall",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "externalId",
                table: "CapitalCall",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "organizationId",
                table: "CapitalCall",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditLog",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    entityType = table.Column<string>(type: "text", nullable: true),
                    entityId = table.Column<string>(type: "text", nullable: true),
                    userId = table.Column<string>(type: "text", nullable: true),
                    sessionId = table.Column<string>(type: "text", nullable: true),
                    ipAddress = table.Column<string>(type: "text", nullable: true),
                    userAgent = table.Column<string>(type: "text", nullable: true),
                    geolocation = table.Column<string>(type: "jsonb", nullable: true),
                    deviceFingerprint = table.Column<string>(type: "text", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: true),
                    securityLevel = table.Column<string>(type: "text", nullable: false, defaultValue: "LOW"),
                    timestamp = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("AuditLog_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "BankAccount",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    userId = table.Column<string>(type: "text", nullable: false),
                    plaidAccessToken = table.Column<string>(type: "text", nullable: false),
                    plaidAccountId = table.Column<string>(type: "text", nullable: false),
                    accountName = table.Column<string>(type: "text", nullable: false),
                    accountMask = table.Column<string>(type: "text", nullable: false),
                    accountType = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false, defaultValue: "ACTIVE"),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("BankAccount_pkey", x => x.id);
                    table.ForeignKey(
                        name: "BankAccount_userId_fkey",
                        column: x => x.userId,
                        principalTable: "User",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DataProcessingAgreement",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    organizationId = table.Column<string>(type: "text", nullable: false),
                    processorName = table.Column<string>(type: "text", nullable: false),
                    purpose = table.Column<string>(type: "text", nullable: false),
                    dataCategories = table.Column<string[]>(type: "text[]", nullable: false),
                    signedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false),
                    expiresAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: true),
                    agreementUrl = table.Column<string>(type: "text", nullable: true),
                    contactEmail = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false, defaultValue: "ACTIVE")
                },
                constraints: table =>
                {
                    table.PrimaryKey("DataProcessingAgreement_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "FundAdminConnection",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    organizationId = table.Column<string>(type: "text", nullable: false),
                    administrator = table.Column<string>(type: "text", nullable: false),
                    accountId = table.Column<string>(type: "text", nullable: false),
                    credentials = table.Column<string>(type: "jsonb", nullable: false),
                    syncEnabled = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    status = table.Column<string>(type: "text", nullable: false, defaultValue: "ACTIVE"),
                    lastSyncAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: true),
                    lastSyncStatus = table.Column<string>(type: "text", nullable: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("FundAdminConnection_pkey", x => x.id);
                    table.ForeignKey(
                        name: "FundAdminConnection_organizationId_fkey",
                        column: x => x.organizationId,
                        principalTable: "Organization",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FundAdminSync",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    administrator = table.Column<string>(type: "text", nullable: false),
                    accountId = table.Column<string>(type: "text", nullable: false),
                    syncType = table.Column<string>(type: "text", nullable: false),
                    totalRecords = table.Column<int>(type: "integer", nullable: false),
                    successCount = table.Column<int>(type: "integer", nullable: false),
                    failureCount = table.Column<int>(type: "integer", nullable: false),
                    errors = table.Column<string>(type: "jsonb", nullable: true),
                    syncedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("FundAdminSync_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "FundAdministrator",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    slug = table.Column<string>(type: "text", nullable: false),
                    apiKey = table.Column<string>(type: "text", nullable: false),
                    isActive = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    contactEmail = table.Column<string>(type: "text", nullable: true),
                    website = table.Column<string>(type: "text", nullable: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("FundAdministrator_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "FundMapping",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    fundAdministrator = table.Column<string>(type: "text", nullable: false),
                    externalFundCode = table.Column<string>(type: "text", nullable: false),
                    fundName = table.Column<string>(type: "text", nullable: false),
                    fundType = table.Column<string>(type: "text", nullable: true),
                    vintage = table.Column<int>(type: "integer", nullable: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("FundMapping_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "InvestorMapping",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    fundAdministrator = table.Column<string>(type: "text", nullable: false),
                    externalInvestorId = table.Column<string>(type: "text", nullable: false),
                    userId = table.Column<string>(type: "text", nullable: false),
                    investorName = table.Column<string>(type: "text", nullable: false),
                    email = table.Column<string>(type: "text", nullable: false),
                    commitment = table.Column<decimal>(type: "numeric(15,2)", precision: 15, scale: 2, nullable: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("InvestorMapping_pkey", x => x.id);
                    table.ForeignKey(
                        name: "InvestorMapping_userId_fkey",
                        column: x => x.userId,
                        principalTable: "User",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LegalHold",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    userId = table.Column<string>(type: "text", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false, defaultValue: "ACTIVE"),
                    createdBy = table.Column<string>(type: "text", nullable: false),
                    caseNumber = table.Column<string>(type: "text", nullable: true),
                    notes = table.Column<string>(type: "text", nullable: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    releasedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("LegalHold_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "OrganizationInvite",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    organizationId = table.Column<string>(type: "text", nullable: false),
                    email = table.Column<string>(type: "text", nullable: false),
                    role = table.Column<string>(type: "text", nullable: false),
                    invitedBy = table.Column<string>(type: "text", nullable: false),
                    token = table.Column<string>(type: "text", nullable: false),
                    expiresAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false),
                    acceptedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("OrganizationInvite_pkey", x => x.id);
                    table.ForeignKey(
                        name: "OrganizationInvite_organizationId_fkey",
                        column: x => x.organizationId,
                        principalTable: "Organization",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OrganizationMember",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    organizationId = table.Column<string>(type: "text", nullable: false),
                    userId = table.Column<string>(type: "text", nullable: false),
                    role = table.Column<string>(type: "text", nullable: false),
                    permissions = table.Column<string[]>(type: "text[]", nullable: false),
                    joinedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("OrganizationMember_pkey", x => x.id);
                    table.ForeignKey(
                        name: "OrganizationMember_organizationId_fkey",
                        column: x => x.organizationId,
                        principalTable: "Organization",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "OrganizationMember_userId_fkey",
                        column: x => x.userId,
                        principalTable: "User",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OrganizationRole",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    organizationId = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    permissions = table.Column<string[]>(type: "text[]", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("OrganizationRole_pkey", x => x.id);
                    table.ForeignKey(
                        name: "OrganizationRole_organizationId_fkey",
                        column: x => x.organizationId,
                        principalTable: "Organization",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Payment",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    capitalCallId = table.Column<string>(type: "text", nullable: false),
                    userId = table.Column<string>(type: "text", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(15,2)", precision: 15, scale: 2, nullable: false),
                    currency = table.Column<string>(type: "text", nullable: false, defaultValue: "USD"),
                    paidAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false),
                    paymentMethod = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    reference = table.Column<string>(type: "text", nullable: true),
                    swiftMessage = table.Column<string>(type: "jsonb", nullable: true),
                    stripePaymentIntentId = table.Column<string>(type: "text", nullable: true),
                    bankStatementId = table.Column<string>(type: "text", nullable: true),
                    reconciledAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: true),
                    reconciledBy = table.Column<string>(type: "text", nullable: true),
                    reconciliationNotes = table.Column<string>(type: "text", nullable: true),
                    failureReason = table.Column<string>(type: "text", nullable: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("Payment_pkey", x => x.id);
                    table.ForeignKey(
                        name: "Payment_capitalCallId_fkey",
                        column: x => x.capitalCallId,
                        principalTable: "CapitalCall",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "Payment_userId_fkey",
                        column: x => x.userId,
                        principalTable: "User",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SSOConnection",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    organizationId = table.Column<string>(type: "text", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    config = table.Column<string>(type: "jsonb", nullable: false),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("SSOConnection_pkey", x => x.id);
                    table.ForeignKey(
                        name: "SSOConnection_organizationId_fkey",
                        column: x => x.organizationId,
                        principalTable: "Organization",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScheduledReport",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    userId = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    config = table.Column<string>(type: "jsonb", nullable: false),
                    schedule = table.Column<string>(type: "text", nullable: false),
                    recipients = table.Column<string[]>(type: "text[]", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("ScheduledReport_pkey", x => x.id);
                    table.ForeignKey(
                        name: "ScheduledReport_userId_fkey",
                        column: x => x.userId,
                        principalTable: "User",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "StatementReconciliation",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    bankAccountId = table.Column<string>(type: "text", nullable: false),
                    statementUrl = table.Column<string>(type: "text", nullable: false),
                    startDate = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false),
                    endDate = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false),
                    totalTransactions = table.Column<int>(type: "integer", nullable: false),
                    matchedCount = table.Column<int>(type: "integer", nullable: false),
                    unmatchedCount = table.Column<int>(type: "integer", nullable: false),
                    discrepancies = table.Column<string>(type: "jsonb", nullable: true),
                    reconciledAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("StatementReconciliation_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "UnmappedInvestor",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    fundAdministrator = table.Column<string>(type: "text", nullable: false),
                    externalInvestorId = table.Column<string>(type: "text", nullable: false),
                    investorName = table.Column<string>(type: "text", nullable: false),
                    email = table.Column<string>(type: "text", nullable: false),
                    fundId = table.Column<string>(type: "text", nullable: true),
                    needsMapping = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    mappedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("UnmappedInvestor_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "WebhookLog",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    source = table.Column<string>(type: "text", nullable: false),
                    eventType = table.Column<string>(type: "text", nullable: false),
                    eventId = table.Column<string>(type: "text", nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    processedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("WebhookLog_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ReportExecution",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    scheduledReportId = table.Column<string>(type: "text", nullable: false),
                    executedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    recipientCount = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false, defaultValue: "SUCCESS"),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("ReportExecution_pkey", x => x.id);
                    table.ForeignKey(
                        name: "ReportExecution_scheduledReportId_fkey",
                        column: x => x.scheduledReportId,
                        principalTable: "ScheduledReport",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "Organization_customDomain_idx",
                table: "Organization",
                column: "customDomain");

            migrationBuilder.CreateIndex(
                name: "Organization_customDomain_key",
                table: "Organization",
                column: "customDomain",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "CapitalCall_externalId_idx",
                table: "CapitalCall",
                column: "externalId");

            migrationBuilder.CreateIndex(
                name: "CapitalCall_organizationId_idx",
                table: "CapitalCall",
                column: "organizationId");

            migrationBuilder.CreateIndex(
                name: "CapitalCall_source_idx",
                table: "CapitalCall",
                column: "source");

            migrationBuilder.CreateIndex(
                name: "AuditLog_action_timestamp_idx",
                table: "AuditLog",
                columns: new[] { "action", "timestamp" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "AuditLog_entityType_entityId_idx",
                table: "AuditLog",
                columns: new[] { "entityType", "entityId" });

            migrationBuilder.CreateIndex(
                name: "AuditLog_securityLevel_timestamp_idx",
                table: "AuditLog",
                columns: new[] { "securityLevel", "timestamp" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "AuditLog_timestamp_idx",
                table: "AuditLog",
                column: "timestamp",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "AuditLog_userId_timestamp_idx",
                table: "AuditLog",
                columns: new[] { "userId", "timestamp" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "BankAccount_userId_idx",
                table: "BankAccount",
                column: "userId");

            migrationBuilder.CreateIndex(
                name: "DataProcessingAgreement_organizationId_idx",
                table: "DataProcessingAgreement",
                column: "organizationId");

            migrationBuilder.CreateIndex(
                name: "DataProcessingAgreement_status_idx",
                table: "DataProcessingAgreement",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "FundAdminConnection_administrator_accountId_key",
                table: "FundAdminConnection",
                columns: new[] { "administrator", "accountId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "FundAdminConnection_organizationId_idx",
                table: "FundAdminConnection",
                column: "organizationId");

            migrationBuilder.CreateIndex(
                name: "FundAdminSync_administrator_accountId_idx",
                table: "FundAdminSync",
                columns: new[] { "administrator", "accountId" });

            migrationBuilder.CreateIndex(
                name: "FundAdminSync_syncedAt_idx",
                table: "FundAdminSync",
                column: "syncedAt",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "FundAdministrator_apiKey_idx",
                table: "FundAdministrator",
                column: "apiKey");

            migrationBuilder.CreateIndex(
                name: "FundAdministrator_apiKey_key",
                table: "FundAdministrator",
                column: "apiKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "FundAdministrator_slug_idx",
                table: "FundAdministrator",
                column: "slug");

            migrationBuilder.CreateIndex(
                name: "FundAdministrator_slug_key",
                table: "FundAdministrator",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "FundMapping_fundAdministrator_externalFundCode_key",
                table: "FundMapping",
                columns: new[] { "fundAdministrator", "externalFundCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "InvestorMapping_fundAdministrator_externalInvestorId_key",
                table: "InvestorMapping",
                columns: new[] { "fundAdministrator", "externalInvestorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "InvestorMapping_userId_idx",
                table: "InvestorMapping",
                column: "userId");

            migrationBuilder.CreateIndex(
                name: "LegalHold_status_idx",
                table: "LegalHold",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "LegalHold_userId_status_idx",
                table: "LegalHold",
                columns: new[] { "userId", "status" });

            migrationBuilder.CreateIndex(
                name: "OrganizationInvite_email_idx",
                table: "OrganizationInvite",
                column: "email");

            migrationBuilder.CreateIndex(
                name: "OrganizationInvite_organizationId_idx",
                table: "OrganizationInvite",
                column: "organizationId");

            migrationBuilder.CreateIndex(
                name: "OrganizationInvite_token_idx",
                table: "OrganizationInvite",
                column: "token");

            migrationBuilder.CreateIndex(
                name: "OrganizationInvite_token_key",
                table: "OrganizationInvite",
                column: "token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "OrganizationMember_organizationId_idx",
                table: "OrganizationMember",
                column: "organizationId");

            migrationBuilder.CreateIndex(
                name: "OrganizationMember_organizationId_userId_key",
                table: "OrganizationMember",
                columns: new[] { "organizationId", "userId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "OrganizationMember_userId_idx",
                table: "OrganizationMember",
                column: "userId");

            migrationBuilder.CreateIndex(
                name: "OrganizationRole_organizationId_idx",
                table: "OrganizationRole",
                column: "organizationId");

            migrationBuilder.CreateIndex(
                name: "OrganizationRole_organizationId_name_key",
                table: "OrganizationRole",
                columns: new[] { "organizationId", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "Payment_capitalCallId_idx",
                table: "Payment",
                column: "capitalCallId");

            migrationBuilder.CreateIndex(
                name: "Payment_paidAt_idx",
                table: "Payment",
                column: "paidAt",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "Payment_status_idx",
                table: "Payment",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "Payment_stripePaymentIntentId_key",
                table: "Payment",
                column: "stripePaymentIntentId",
                unique: true,
                filter: "\"stripePaymentIntentId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "Payment_userId_idx",
                table: "Payment",
                column: "userId");

            migrationBuilder.CreateIndex(
                name: "ReportExecution_executedAt_idx",
                table: "ReportExecution",
                column: "executedAt",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ReportExecution_scheduledReportId_idx",
                table: "ReportExecution",
                column: "scheduledReportId");

            migrationBuilder.CreateIndex(
                name: "SSOConnection_organizationId_idx",
                table: "SSOConnection",
                column: "organizationId");

            migrationBuilder.CreateIndex(
                name: "SSOConnection_provider_idx",
                table: "SSOConnection",
                column: "provider");

            migrationBuilder.CreateIndex(
                name: "ScheduledReport_active_idx",
                table: "ScheduledReport",
                column: "active");

            migrationBuilder.CreateIndex(
                name: "ScheduledReport_userId_idx",
                table: "ScheduledReport",
                column: "userId");

            migrationBuilder.CreateIndex(
                name: "StatementReconciliation_bankAccountId_idx",
                table: "StatementReconciliation",
                column: "bankAccountId");

            migrationBuilder.CreateIndex(
                name: "StatementReconciliation_reconciledAt_idx",
                table: "StatementReconciliation",
                column: "reconciledAt",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "UnmappedInvestor_fundAdministrator_needsMapping_idx",
                table: "UnmappedInvestor",
                columns: new[] { "fundAdministrator", "needsMapping" });

            migrationBuilder.CreateIndex(
                name: "WebhookLog_eventId_key",
                table: "WebhookLog",
                column: "eventId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "WebhookLog_processedAt_idx",
                table: "WebhookLog",
                column: "processedAt",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "WebhookLog_source_eventType_idx",
                table: "WebhookLog",
                columns: new[] { "source", "eventType" });

            migrationBuilder.AddForeignKey(
                name: "CapitalCall_organizationId_fkey",
                table: "CapitalCall",
                column: "organizationId",
                principalTable: "Organization",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "CapitalCall_organizationId_fkey",
                table: "CapitalCall");

            migrationBuilder.DropTable(
                name: "AuditLog");

            migrationBuilder.DropTable(
                name: "BankAccount");

            migrationBuilder.DropTable(
                name: "DataProcessingAgreement");

            migrationBuilder.DropTable(
                name: "FundAdminConnection");

            migrationBuilder.DropTable(
                name: "FundAdminSync");

            migrationBuilder.DropTable(
                name: "FundAdministrator");

            migrationBuilder.DropTable(
                name: "FundMapping");

            migrationBuilder.DropTable(
                name: "InvestorMapping");

            migrationBuilder.DropTable(
                name: "LegalHold");

            migrationBuilder.DropTable(
                name: "OrganizationInvite");

            migrationBuilder.DropTable(
                name: "OrganizationMember");

            migrationBuilder.DropTable(
                name: "OrganizationRole");

            migrationBuilder.DropTable(
                name: "Payment");

            migrationBuilder.DropTable(
                name: "ReportExecution");

            migrationBuilder.DropTable(
                name: "SSOConnection");

            migrationBuilder.DropTable(
                name: "StatementReconciliation");

            migrationBuilder.DropTable(
                name: "UnmappedInvestor");

            migrationBuilder.DropTable(
                name: "WebhookLog");

            migrationBuilder.DropTable(
                name: "ScheduledReport");

            migrationBuilder.DropIndex(
                name: "Organization_customDomain_idx",
                table: "Organization");

            migrationBuilder.DropIndex(
                name: "Organization_customDomain_key",
                table: "Organization");

            migrationBuilder.DropIndex(
                name: "CapitalCall_externalId_idx",
                table: "CapitalCall");

            migrationBuilder.DropIndex(
                name: "CapitalCall_organizationId_idx",
                table: "CapitalCall");

            migrationBuilder.DropIndex(
                name: "CapitalCall_source_idx",
                table: "CapitalCall");

            migrationBuilder.DropColumn(
                name: "customDomain",
                table: "Organization");

            migrationBuilder.DropColumn(
                name: "plan",
                table: "Organization");

            migrationBuilder.DropColumn(
                name: "settings",
                table: "Organization");

            migrationBuilder.DropColumn(
                name: "externalId",
                table: "CapitalCall");

            migrationBuilder.DropColumn(
                name: "organizationId",
                table: "CapitalCall");

            migrationBuilder.DropColumn(
                name: "paidAt",
                table: "CapitalCall");

            migrationBuilder.DropColumn(
                name: "source",
                table: "CapitalCall");
        }
    }
}
