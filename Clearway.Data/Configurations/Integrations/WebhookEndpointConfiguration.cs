using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations.Integrations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> endpoint)
    {
        endpoint.Property(e => e.Enabled).HasTrueDefault();
        endpoint.Property(e => e.CreatedAt).HasNowDefault();
        endpoint.Property(e => e.UpdatedAt).HasNowDefault();
        endpoint.HasIndex(e => e.UserId);
        endpoint.HasIndex(e => e.Enabled);
        // HardenIntegrity: an endpoint is the user's own configuration.
        endpoint.HasOne(e => e.User).WithMany()
            .HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
