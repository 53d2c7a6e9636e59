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
        organization.Property(o => o.Plan).HasDefaultValue("STARTER");
        organization.Property(o => o.Settings).IsJsonb();
        organization.HasIndex(o => o.CustomDomain).IsUnique();
        organization.HasIndex(o => o.CustomDomain, "Organization_customDomain_idx");
    }
}
