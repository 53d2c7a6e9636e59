using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> organization)
    {
        organization.Property(o => o.CreatedAt).HasNowDefault();
        organization.HasIndex(o => o.Slug).IsUnique();
        organization.HasIndex(o => o.Slug, "Organization_slug_idx");
    }
}
