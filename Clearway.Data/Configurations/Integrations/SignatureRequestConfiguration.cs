using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations.Integrations;

internal sealed class SignatureRequestConfiguration : IEntityTypeConfiguration<SignatureRequest>
{
    public void Configure(EntityTypeBuilder<SignatureRequest> request)
    {
        request.Property(r => r.CreatedAt).HasNowDefault();
        request.Property(r => r.UpdatedAt).HasNowDefault();
        request.HasIndex(r => r.EnvelopeId).IsUnique();
        request.HasIndex(r => r.CapitalCallId);
        request.HasIndex(r => r.Status);
        // HardenIntegrity: an envelope exists only for its capital call.
        request.HasOne(r => r.CapitalCall).WithMany()
            .HasForeignKey(r => r.CapitalCallId).OnDelete(DeleteBehavior.Cascade);
    }
}
