using Clearway.Data.Migrations.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Clearway.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddMaterializedViews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "idx_document_org_uploaded",
                table: "Document",
                columns: new[] { "organizationId", "uploadedAt" },
                descending: new[] { false, true },
                filter: "\"organizationId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "idx_document_user_status",
                table: "Document",
                columns: new[] { "userId", "status" });

            migrationBuilder.CreateIndex(
                name: "idx_capital_call_amount",
                table: "CapitalCall",
                column: "amountDue");

            migrationBuilder.CreateIndex(
                name: "idx_capital_call_approved_at",
                table: "CapitalCall",
                column: "approvedAt",
                filter: "\"approvedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "idx_capital_call_user_duedate",
                table: "CapitalCall",
                columns: new[] { "userId", "dueDate" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "idx_capital_call_user_fund",
                table: "CapitalCall",
                columns: new[] { "userId", "fundName" });

            migrationBuilder.CreateIndex(
                name: "idx_capital_call_user_status",
                table: "CapitalCall",
                columns: new[] { "userId", "status" });

            // The views are not part of the EF model: their SQL lives in Migrations/Sql, embedded.
            migrationBuilder.Sql(EmbeddedSql.Read("monthly_call_summary.sql"));
            migrationBuilder.Sql(EmbeddedSql.Read("fund_performance_summary.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // No CASCADE: a dependent object someone built on a view must stop the rollback, not vanish (6.5 #34).
            migrationBuilder.Sql("DROP MATERIALIZED VIEW fund_performance_summary;");
            migrationBuilder.Sql("DROP MATERIALIZED VIEW monthly_call_summary;");

            migrationBuilder.DropIndex(
                name: "idx_document_org_uploaded",
                table: "Document");

            migrationBuilder.DropIndex(
                name: "idx_document_user_status",
                table: "Document");

            migrationBuilder.DropIndex(
                name: "idx_capital_call_amount",
                table: "CapitalCall");

            migrationBuilder.DropIndex(
                name: "idx_capital_call_approved_at",
                table: "CapitalCall");

            migrationBuilder.DropIndex(
                name: "idx_capital_call_user_duedate",
                table: "CapitalCall");

            migrationBuilder.DropIndex(
                name: "idx_capital_call_user_fund",
                table: "CapitalCall");

            migrationBuilder.DropIndex(
                name: "idx_capital_call_user_status",
                table: "CapitalCall");
        }
    }
}
