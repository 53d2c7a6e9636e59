using System;
using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Clearway.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:Enum:CapitalCallStatus", "PENDING_REVIEW,APPROVED,REJECTED,PAID")
                .Annotation("Npgsql:Enum:DocumentStatus", "PENDING,PROCESSING,REVIEW,APPROVED,REJECTED,FAILED");

            migrationBuilder.CreateTable(
                name: "Organization",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    slug = table.Column<string>(type: "text", nullable: false),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("Organization_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "User",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    clerkId = table.Column<string>(type: "text", nullable: false),
                    email = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false),
                    organizationId = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("User_pkey", x => x.id);
                    table.ForeignKey(
                        name: "User_organizationId_fkey",
                        column: x => x.organizationId,
                        principalTable: "Organization",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "Document",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    fileName = table.Column<string>(type: "text", nullable: false),
                    fileUrl = table.Column<string>(type: "text", nullable: false),
                    fileSize = table.Column<int>(type: "integer", nullable: false),
                    mimeType = table.Column<string>(type: "text", nullable: false, defaultValue: "application/pdf"),
                    uploadedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false),
                    userId = table.Column<string>(type: "text", nullable: false),
                    organizationId = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<DocumentStatus>(type: "\"DocumentStatus\"", nullable: false, defaultValue: DocumentStatus.Pending)
                },
                constraints: table =>
                {
                    table.PrimaryKey("Document_pkey", x => x.id);
                    table.ForeignKey(
                        name: "Document_organizationId_fkey",
                        column: x => x.organizationId,
                        principalTable: "Organization",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "Document_userId_fkey",
                        column: x => x.userId,
                        principalTable: "User",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CapitalCall",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    fundName = table.Column<string>(type: "text", nullable: false),
                    investorEmail = table.Column<string>(type: "text", nullable: true),
                    investorAccount = table.Column<string>(type: "text", nullable: true),
                    amountDue = table.Column<decimal>(type: "numeric(15,2)", precision: 15, scale: 2, nullable: false),
                    currency = table.Column<string>(type: "text", nullable: false, defaultValue: "USD"),
                    dueDate = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false),
                    bankName = table.Column<string>(type: "text", nullable: true),
                    accountNumber = table.Column<string>(type: "text", nullable: true),
                    routingNumber = table.Column<string>(type: "text", nullable: true),
                    wireReference = table.Column<string>(type: "text", nullable: true),
                    extractedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    reviewedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: true),
                    approvedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: true),
                    createdAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false, defaultValueSql: "CURRENT_TIMESTAMP"),
                    updatedAt = table.Column<DateTime>(type: "timestamp(3) without time zone", nullable: false),
                    confidenceScores = table.Column<string>(type: "jsonb", nullable: true),
                    rawExtraction = table.Column<string>(type: "jsonb", nullable: true),
                    documentId = table.Column<string>(type: "text", nullable: false),
                    userId = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<CapitalCallStatus>(type: "\"CapitalCallStatus\"", nullable: false, defaultValue: CapitalCallStatus.PendingReview)
                },
                constraints: table =>
                {
                    table.PrimaryKey("CapitalCall_pkey", x => x.id);
                    table.ForeignKey(
                        name: "CapitalCall_documentId_fkey",
                        column: x => x.documentId,
                        principalTable: "Document",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "CapitalCall_userId_fkey",
                        column: x => x.userId,
                        principalTable: "User",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "CapitalCall_documentId_key",
                table: "CapitalCall",
                column: "documentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "CapitalCall_dueDate_idx",
                table: "CapitalCall",
                column: "dueDate");

            migrationBuilder.CreateIndex(
                name: "CapitalCall_fundName_idx",
                table: "CapitalCall",
                column: "fundName");

            migrationBuilder.CreateIndex(
                name: "CapitalCall_status_idx",
                table: "CapitalCall",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "CapitalCall_userId_idx",
                table: "CapitalCall",
                column: "userId");

            migrationBuilder.CreateIndex(
                name: "Document_organizationId_idx",
                table: "Document",
                column: "organizationId");

            migrationBuilder.CreateIndex(
                name: "Document_status_idx",
                table: "Document",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "Document_uploadedAt_idx",
                table: "Document",
                column: "uploadedAt",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "Document_userId_idx",
                table: "Document",
                column: "userId");

            migrationBuilder.CreateIndex(
                name: "Organization_slug_idx",
                table: "Organization",
                column: "slug");

            migrationBuilder.CreateIndex(
                name: "Organization_slug_key",
                table: "Organization",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "User_clerkId_idx",
                table: "User",
                column: "clerkId");

            migrationBuilder.CreateIndex(
                name: "User_clerkId_key",
                table: "User",
                column: "clerkId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "User_email_idx",
                table: "User",
                column: "email");

            migrationBuilder.CreateIndex(
                name: "User_email_key",
                table: "User",
                column: "email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "User_organizationId_idx",
                table: "User",
                column: "organizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CapitalCall");

            migrationBuilder.DropTable(
                name: "Document");

            migrationBuilder.DropTable(
                name: "User");

            migrationBuilder.DropTable(
                name: "Organization");

            // Added by hand: EF does not emit the enum types' removal in the first migration's Down,
            // so without this a rollback to 0 leaves both types behind and the next Up fails with 42710.
            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:Enum:CapitalCallStatus", "PENDING_REVIEW,APPROVED,REJECTED,PAID")
                .OldAnnotation("Npgsql:Enum:DocumentStatus", "PENDING,PROCESSING,REVIEW,APPROVED,REJECTED,FAILED");
        }
    }
}
