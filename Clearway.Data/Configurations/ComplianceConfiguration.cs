using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations;

internal sealed class AuditLogConfiguration : IEntityTypeConfiguration<AuditLog>
{
    public void Configure(EntityTypeBuilder<AuditLog> log)
    {
        log.Property(l => l.Geolocation).IsJsonb();
        log.Property(l => l.Metadata).IsJsonb();
        log.Property(l => l.SecurityLevel).HasDefaultValue("LOW");
        log.Property(l => l.Timestamp).HasNowDefault();
        log.HasIndex(l => new { l.UserId, l.Timestamp }).IsDescending(false, true);
        log.HasIndex(l => new { l.Action, l.Timestamp }).IsDescending(false, true);
        log.HasIndex(l => new { l.SecurityLevel, l.Timestamp }).IsDescending(false, true);
        log.HasIndex(l => new { l.EntityType, l.EntityId });
        log.HasIndex(l => l.Timestamp).IsDescending();
    }
}

internal sealed class LegalHoldConfiguration : IEntityTypeConfiguration<LegalHold>
{
    public void Configure(EntityTypeBuilder<LegalHold> hold)
    {
        hold.Property(h => h.Status).HasDefaultValue("ACTIVE");
        hold.Property(h => h.CreatedAt).HasNowDefault();
        hold.HasIndex(h => new { h.UserId, h.Status });
        hold.HasIndex(h => h.Status);
        // HardenIntegrity: a legal hold must stop the deletion of the user it protects.
        hold.HasOne(h => h.User).WithMany()
            .HasForeignKey(h => h.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DataProcessingAgreementConfiguration : IEntityTypeConfiguration<DataProcessingAgreement>
{
    public void Configure(EntityTypeBuilder<DataProcessingAgreement> agreement)
    {
        agreement.Property(a => a.Status).HasDefaultValue("ACTIVE");
        agreement.HasIndex(a => a.OrganizationId);
        agreement.HasIndex(a => a.Status);
        // HardenIntegrity: a signed DPA is a compliance record; deleting the organisation must not erase it.
        agreement.HasOne(a => a.Organization).WithMany()
            .HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}
