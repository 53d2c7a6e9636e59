using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations.Integrations;

internal sealed class AccountingTransactionConfiguration : IEntityTypeConfiguration<AccountingTransaction>
{
    public void Configure(EntityTypeBuilder<AccountingTransaction> transaction)
    {
        transaction.Property(t => t.CreatedAt).HasNowDefault();
        transaction.HasIndex(t => t.CapitalCallId);
        transaction.HasIndex(t => t.ConnectionId);
        transaction.HasOne(t => t.Connection).WithMany(c => c.Transactions)
            .HasForeignKey(t => t.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        // HardenIntegrity: a ledger posting is a record in another system; it must not vanish with the call.
        transaction.HasOne(t => t.CapitalCall).WithMany()
            .HasForeignKey(t => t.CapitalCallId).OnDelete(DeleteBehavior.Restrict);
    }
}
