using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations;

internal sealed class OrganizationMemberConfiguration : IEntityTypeConfiguration<OrganizationMember>
{
    public void Configure(EntityTypeBuilder<OrganizationMember> member)
    {
        member.Property(m => m.JoinedAt).HasNowDefault();
        member.HasIndex(m => new { m.OrganizationId, m.UserId }).IsUnique();
        member.HasIndex(m => m.OrganizationId);
        member.HasIndex(m => m.UserId);
        member.HasOne(m => m.Organization).WithMany()
            .HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        member.HasOne(m => m.User).WithMany()
            .HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OrganizationRoleConfiguration : IEntityTypeConfiguration<OrganizationRole>
{
    public void Configure(EntityTypeBuilder<OrganizationRole> role)
    {
        role.Property(r => r.CreatedAt).HasNowDefault();
        role.Property(r => r.UpdatedAt).HasNowDefault();
        role.HasIndex(r => new { r.OrganizationId, r.Name }).IsUnique();
        role.HasIndex(r => r.OrganizationId);
        role.HasOne(r => r.Organization).WithMany()
            .HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OrganizationInviteConfiguration : IEntityTypeConfiguration<OrganizationInvite>
{
    public void Configure(EntityTypeBuilder<OrganizationInvite> invite)
    {
        invite.Property(i => i.CreatedAt).HasNowDefault();
        invite.HasIndex(i => i.Token).IsUnique();
        invite.HasIndex(i => i.OrganizationId);
        invite.HasIndex(i => i.Email);
        invite.HasIndex(i => i.Token, "OrganizationInvite_token_idx");
        invite.HasOne(i => i.Organization).WithMany()
            .HasForeignKey(i => i.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        // HardenIntegrity: the invite belongs to the organisation, not to whoever sent it.
        invite.HasOne(i => i.Inviter).WithMany()
            .HasForeignKey(i => i.InvitedBy).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SsoConnectionConfiguration : IEntityTypeConfiguration<SsoConnection>
{
    public void Configure(EntityTypeBuilder<SsoConnection> sso)
    {
        sso.ToTable("SSOConnection");
        sso.Property(s => s.Enabled).HasTrueDefault();
        sso.Property(s => s.Config).IsJsonb();
        sso.Property(s => s.CreatedAt).HasNowDefault();
        sso.Property(s => s.UpdatedAt).HasNowDefault();
        sso.HasIndex(s => s.OrganizationId);
        sso.HasIndex(s => s.Provider);
        sso.HasOne(s => s.Organization).WithMany()
            .HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
