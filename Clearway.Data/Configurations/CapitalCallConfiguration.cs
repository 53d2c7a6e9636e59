using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations;

internal sealed class CapitalCallConfiguration : IEntityTypeConfiguration<CapitalCall>
{
    public void Configure(EntityTypeBuilder<CapitalCall> call)
    {
        call.Property(c => c.Currency).HasDefaultValue("USD");
        call.Property(c => c.ExtractedAt).HasNowDefault();
        call.Property(c => c.CreatedAt).HasNowDefault();
        call.Property(c => c.ConfidenceScores).IsJsonb();
        call.Property(c => c.RawExtraction).IsJsonb();
        call.Property(c => c.Status).HasDefaultValue(CapitalCallStatus.PendingReview);
        call.HasIndex(c => c.DocumentId).IsUnique();
        call.HasIndex(c => c.UserId);
        call.HasIndex(c => c.DueDate);
        call.HasIndex(c => c.Status);
        call.HasIndex(c => c.FundName);
        call.HasIndex(c => c.OrganizationId);
        call.HasIndex(c => c.Source);
        call.HasIndex(c => c.ExternalId);
        // HardenIntegrity: a call synced from an administrator exists once (6.3 #21: dedup was check-then-insert).
        call.HasIndex(c => new { c.Source, c.ExternalId }).IsUnique().HasFilter("\"externalId\" IS NOT NULL");
        // The add_materialized_views indexes: snake_case names of their own (SCHEMA.md 4.3).
        call.HasIndex(c => new { c.UserId, c.Status }, "idx_capital_call_user_status");
        call.HasIndex(c => new { c.UserId, c.DueDate }, "idx_capital_call_user_duedate").IsDescending(false, true);
        call.HasIndex(c => new { c.UserId, c.FundName }, "idx_capital_call_user_fund");
        call.HasIndex(c => c.AmountDue, "idx_capital_call_amount");
        call.HasIndex(c => c.ApprovedAt, "idx_capital_call_approved_at").HasFilter("\"approvedAt\" IS NOT NULL");
        call.HasOne(c => c.Document).WithOne(d => d.CapitalCall)
            .HasForeignKey<CapitalCall>(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
        call.HasOne(c => c.User).WithMany(u => u.CapitalCalls)
            .HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        call.HasOne(c => c.Organization).WithMany()
            .HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
