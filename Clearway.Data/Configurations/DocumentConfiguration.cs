using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations;

internal sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> document)
    {
        document.Property(d => d.MimeType).HasDefaultValue("application/pdf");
        document.Property(d => d.UploadedAt).HasNowDefault();
        document.Property(d => d.Status).HasDefaultValue(DocumentStatus.Pending);
        document.HasIndex(d => d.UserId);
        document.HasIndex(d => d.OrganizationId);
        document.HasIndex(d => d.Status);
        document.HasIndex(d => d.UploadedAt).IsDescending();
        // The add_materialized_views indexes: snake_case names of their own (SCHEMA.md 4.3).
        document.HasIndex(d => new { d.UserId, d.Status }, "idx_document_user_status");
        document.HasIndex(d => new { d.OrganizationId, d.UploadedAt }, "idx_document_org_uploaded")
            .IsDescending(false, true).HasFilter("\"organizationId\" IS NOT NULL");
        document.HasOne(d => d.User).WithMany(u => u.Documents)
            .HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
        // Optional, yet CASCADE: the original sets it explicitly (SCHEMA.md 3.3).
        document.HasOne(d => d.Organization).WithMany()
            .HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
