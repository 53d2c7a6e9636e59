using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.Property(u => u.CreatedAt).HasNowDefault();
        user.HasIndex(u => u.ClerkId).IsUnique();
        user.HasIndex(u => u.Email).IsUnique();
        user.HasIndex(u => u.ClerkId, "User_clerkId_idx");
        user.HasIndex(u => u.Email, "User_email_idx");
        user.HasIndex(u => u.OrganizationId);
        user.HasOne(u => u.Organization).WithMany(o => o.Users)
            .HasForeignKey(u => u.OrganizationId).OnDelete(DeleteBehavior.SetNull);
    }
}
