using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Clearway.Data.Migrations
{
    /// <inheritdoc />
    public partial class IntegrationExpansionPhase2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AccountingConnection",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    organizationId = table.Column<string>(type: "text", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    accessToken = table.Column<string>(type: "text", nullable: false),
                    refreshToken = table.Column<string>(type: "text", nullable: false),
                    realmId = table.Column<string>(type: "text", nullable: true),
                    expiresAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false),
                    config = table.Column<string>(type: "jsonb", nullable: false),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("AccountingConnection_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "SignatureRequest",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    capitalCallId = table.Column<string>(type: "text", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    envelopeId = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    signers = table.Column<string[]>(type: "text[]", nullable: false),
                    completedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("SignatureRequest_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "WebhookEndpoint",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    userId = table.Column<string>(type: "text", nullable: false),
                    url = table.Column<string>(type: "text", nullable: false),
                    events = table.Column<string[]>(type: "text[]", nullable: false),
                    secret = table.Column<string>(type: "text", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("WebhookEndpoint_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "AccountingTransaction",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    capitalCallId = table.Column<string>(type: "text", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    externalId = table.Column<string>(type: "text", nullable: false),
                    type = table.Column<string>(type: "text", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(15,2)", precision: 15, scale: 2, nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    connectionId = table.Column<string>(type: "text", nullable: false),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("AccountingTransaction_pkey", x => x.id);
                    table.ForeignKey(
                        name: "AccountingTransaction_connectionId_fkey",
                        column: x => x.connectionId,
                        principalTable: "AccountingConnection",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WebhookDelivery",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    webhookEndpointId = table.Column<string>(type: "text", nullable: false),
                    eventType = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    statusCode = table.Column<int>(type: "integer", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    deliveredAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP")
                },
                constraints: table =>
                {
                    table.PrimaryKey("WebhookDelivery_pkey", x => x.id);
                    table.ForeignKey(
                        name: "WebhookDelivery_webhookEndpointId_fkey",
                        column: x => x.webhookEndpointId,
                        principalTable: "WebhookEndpoint",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "AccountingConnection_organizationId_idx",
                table: "AccountingConnection",
                column: "organizationId");

            migrationBuilder.CreateIndex(
                name: "AccountingConnection_organizationId_provider_key",
                table: "AccountingConnection",
                columns: new[] { "organizationId", "provider" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "AccountingTransaction_capitalCallId_idx",
                table: "AccountingTransaction",
                column: "capitalCallId");

            migrationBuilder.CreateIndex(
                name: "AccountingTransaction_connectionId_idx",
                table: "AccountingTransaction",
                column: "connectionId");

            migrationBuilder.CreateIndex(
                name: "SignatureRequest_capitalCallId_idx",
                table: "SignatureRequest",
                column: "capitalCallId");

            migrationBuilder.CreateIndex(
                name: "SignatureRequest_envelopeId_key",
                table: "SignatureRequest",
                column: "envelopeId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "SignatureRequest_status_idx",
                table: "SignatureRequest",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "WebhookDelivery_deliveredAt_idx",
                table: "WebhookDelivery",
                column: "deliveredAt",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "WebhookDelivery_status_idx",
                table: "WebhookDelivery",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "WebhookDelivery_webhookEndpointId_idx",
                table: "WebhookDelivery",
                column: "webhookEndpointId");

            migrationBuilder.CreateIndex(
                name: "WebhookEndpoint_enabled_idx",
                table: "WebhookEndpoint",
                column: "enabled");

            migrationBuilder.CreateIndex(
                name: "WebhookEndpoint_userId_idx",
                table: "WebhookEndpoint",
                column: "userId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccountingTransaction");

            migrationBuilder.DropTable(
                name: "SignatureRequest");

            migrationBuilder.DropTable(
                name: "WebhookDelivery");

            migrationBuilder.DropTable(
                name: "AccountingConnection");

            migrationBuilder.DropTable(
                name: "WebhookEndpoint");
        }
    }
}
