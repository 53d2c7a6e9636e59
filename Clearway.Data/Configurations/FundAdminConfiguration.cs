using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations;

internal sealed class FundAdministratorConfiguration : IEntityTypeConfiguration<FundAdministrator>
{
    public void Configure(EntityTypeBuilder<FundAdministrator> administrator)
    {
        administrator.Property(a => a.IsActive).HasTrueDefault();
        administrator.Property(a => a.CreatedAt).HasNowDefault();
        administrator.Property(a => a.UpdatedAt).HasNowDefault();
        administrator.HasIndex(a => a.Slug).IsUnique();
        administrator.HasIndex(a => a.ApiKey).IsUnique();
        administrator.HasIndex(a => a.ApiKey, "FundAdministrator_apiKey_idx");
        administrator.HasIndex(a => a.Slug, "FundAdministrator_slug_idx");
    }
}

internal sealed class FundAdminConnectionConfiguration : IEntityTypeConfiguration<FundAdminConnection>
{
    public void Configure(EntityTypeBuilder<FundAdminConnection> connection)
    {
        connection.Property(c => c.Credentials).IsJsonb();
        connection.Property(c => c.SyncEnabled).HasTrueDefault();
        connection.Property(c => c.Status).HasDefaultValue("ACTIVE");
        connection.Property(c => c.CreatedAt).HasNowDefault();
        connection.Property(c => c.UpdatedAt).HasNowDefault();
        connection.HasIndex(c => new { c.Administrator, c.AccountId }).IsUnique();
        connection.HasIndex(c => c.OrganizationId);
        connection.HasOne(c => c.Organization).WithMany()
            .HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class InvestorMappingConfiguration : IEntityTypeConfiguration<InvestorMapping>
{
    public void Configure(EntityTypeBuilder<InvestorMapping> mapping)
    {
        mapping.Property(m => m.CreatedAt).HasNowDefault();
        mapping.Property(m => m.UpdatedAt).HasNowDefault();
        mapping.HasIndex(m => new { m.FundAdministrator, m.ExternalInvestorId }).IsUnique();
        mapping.HasIndex(m => m.UserId);
        mapping.HasOne(m => m.User).WithMany()
            .HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FundMappingConfiguration : IEntityTypeConfiguration<FundMapping>
{
    public void Configure(EntityTypeBuilder<FundMapping> mapping)
    {
        mapping.Property(m => m.CreatedAt).HasNowDefault();
        mapping.Property(m => m.UpdatedAt).HasNowDefault();
        mapping.HasIndex(m => new { m.FundAdministrator, m.ExternalFundCode }).IsUnique();
    }
}

internal sealed class FundAdminSyncConfiguration : IEntityTypeConfiguration<FundAdminSync>
{
    public void Configure(EntityTypeBuilder<FundAdminSync> sync)
    {
        sync.Property(s => s.Errors).IsJsonb();
        sync.Property(s => s.SyncedAt).HasNowDefault();
        sync.HasIndex(s => new { s.Administrator, s.AccountId });
        sync.HasIndex(s => s.SyncedAt).IsDescending();
    }
}

internal sealed class UnmappedInvestorConfiguration : IEntityTypeConfiguration<UnmappedInvestor>
{
    public void Configure(EntityTypeBuilder<UnmappedInvestor> investor)
    {
        investor.Property(i => i.NeedsMapping).HasTrueDefault();
        investor.Property(i => i.CreatedAt).HasNowDefault();
        investor.HasIndex(i => new { i.FundAdministrator, i.NeedsMapping });
    }
}

internal sealed class WebhookLogConfiguration : IEntityTypeConfiguration<WebhookLog>
{
    public void Configure(EntityTypeBuilder<WebhookLog> log)
    {
        log.Property(l => l.Payload).IsJsonb();
        log.Property(l => l.ProcessedAt).HasNowDefault();
        log.HasIndex(l => l.EventId).IsUnique();
        log.HasIndex(l => new { l.Source, l.EventType });
        log.HasIndex(l => l.ProcessedAt).IsDescending();
    }
}
