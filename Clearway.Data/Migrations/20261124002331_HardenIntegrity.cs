using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Clearway.Data.Migrations
{
    /// <inheritdoc />
    // Ours, beyond the original (SCHEMA.md D2 #5): foreign keys for the reference columns with an unambiguous
    // target. Rule: CASCADE where the row belongs to its parent, RESTRICT otherwise. Every key is ON UPDATE
    // CASCADE like Prisma's (ClearwayMigrationsSqlGenerator). A database holding orphans fails here with
    // SQLSTATE 23503, and the migrator names the table; fix the orphans, then migrate again.
    public partial class HardenIntegrity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A call synced from a fund administrator exists once: the app's check-then-insert dedup races (SCHEMA.md 6.3 #21).
            migrationBuilder.CreateIndex(
                name: "CapitalCall_source_externalId_key",
                table: "CapitalCall",
                columns: new[] { "source", "externalId" },
                unique: true,
                filter: "\"externalId\" IS NOT NULL");

            // CASCADE: an accounting connection belongs to its organisation; with the organisation gone its OAuth tokens must go too.
            migrationBuilder.AddForeignKey(
                name: "AccountingConnection_organizationId_fkey",
                table: "AccountingConnection",
                column: "organizationId",
                principalTable: "Organization",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            // RESTRICT: a posting mirrors an entry in QuickBooks/Xero; deleting the call must not silently lose the record of it (the same rule Payment has).
            migrationBuilder.AddForeignKey(
                name: "AccountingTransaction_capitalCallId_fkey",
                table: "AccountingTransaction",
                column: "capitalCallId",
                principalTable: "CapitalCall",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // RESTRICT: a signed DPA is a GDPR record that must outlive casual deletion; the organisation cannot be deleted while one exists.
            migrationBuilder.AddForeignKey(
                name: "DataProcessingAgreement_organizationId_fkey",
                table: "DataProcessingAgreement",
                column: "organizationId",
                principalTable: "Organization",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // RESTRICT: the point of a legal hold is that the held user's data cannot be deleted.
            migrationBuilder.AddForeignKey(
                name: "LegalHold_userId_fkey",
                table: "LegalHold",
                column: "userId",
                principalTable: "User",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // RESTRICT: the invite belongs to the organisation, not to its sender; deleting a sender with open invites must be a decision.
            migrationBuilder.AddForeignKey(
                name: "OrganizationInvite_invitedBy_fkey",
                table: "OrganizationInvite",
                column: "invitedBy",
                principalTable: "User",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // CASCADE: an envelope exists only for its capital call.
            migrationBuilder.AddForeignKey(
                name: "SignatureRequest_capitalCallId_fkey",
                table: "SignatureRequest",
                column: "capitalCallId",
                principalTable: "CapitalCall",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            // CASCADE: a reconciliation belongs to its bank account.
            migrationBuilder.AddForeignKey(
                name: "StatementReconciliation_bankAccountId_fkey",
                table: "StatementReconciliation",
                column: "bankAccountId",
                principalTable: "BankAccount",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            // CASCADE: an endpoint is its user's own configuration (its deliveries already cascade from it).
            migrationBuilder.AddForeignKey(
                name: "WebhookEndpoint_userId_fkey",
                table: "WebhookEndpoint",
                column: "userId",
                principalTable: "User",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "AccountingConnection_organizationId_fkey",
                table: "AccountingConnection");

            migrationBuilder.DropForeignKey(
                name: "AccountingTransaction_capitalCallId_fkey",
                table: "AccountingTransaction");

            migrationBuilder.DropForeignKey(
                name: "DataProcessingAgreement_organizationId_fkey",
                table: "DataProcessingAgreement");

            migrationBuilder.DropForeignKey(
                name: "LegalHold_userId_fkey",
                table: "LegalHold");

            migrationBuilder.DropForeignKey(
                name: "OrganizationInvite_invitedBy_fkey",
                table: "OrganizationInvite");

            migrationBuilder.DropForeignKey(
                name: "SignatureRequest_capitalCallId_fkey",
                table: "SignatureRequest");

            migrationBuilder.DropForeignKey(
                name: "StatementReconciliation_bankAccountId_fkey",
                table: "StatementReconciliation");

            migrationBuilder.DropForeignKey(
                name: "WebhookEndpoint_userId_fkey",
                table: "WebhookEndpoint");

            migrationBuilder.DropIndex(
                name: "CapitalCall_source_externalId_key",
                table: "CapitalCall");
        }
    }
}
