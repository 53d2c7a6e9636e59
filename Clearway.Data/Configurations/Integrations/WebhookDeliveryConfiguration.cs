using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations.Integrations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.Property(d => d.Payload).IsJsonb();
        delivery.Property(d => d.DeliveredAt).HasNowDefault();
        delivery.HasIndex(d => d.WebhookEndpointId);
        delivery.HasIndex(d => d.DeliveredAt).IsDescending();
        delivery.HasIndex(d => d.Status);
        delivery.HasOne(d => d.WebhookEndpoint).WithMany(e => e.Deliveries)
            .HasForeignKey(d => d.WebhookEndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}
