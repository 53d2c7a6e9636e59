using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations.Integrations;

internal sealed class AccountingConnectionConfiguration : IEntityTypeConfiguration<AccountingConnection>
{
    public void Configure(EntityTypeBuilder<AccountingConnection> connection)
    {
        connection.Property(c => c.Config).IsJsonb();
        connection.Property(c => c.CreatedAt).HasNowDefault();
        connection.Property(c => c.UpdatedAt).HasNowDefault();
        connection.HasIndex(c => new { c.OrganizationId, c.Provider }).IsUnique();
        connection.HasIndex(c => c.OrganizationId);
        // HardenIntegrity: the connection belongs to its organisation.
        connection.HasOne(c => c.Organization).WithMany()
            .HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
