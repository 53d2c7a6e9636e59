using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.Property(p => p.Currency).HasDefaultValue("USD");
        payment.Property(p => p.SwiftMessage).IsJsonb();
        payment.Property(p => p.CreatedAt).HasNowDefault();
        payment.Property(p => p.UpdatedAt).HasNowDefault();
        // Partial, as in phase2_complete_schema.sql: many payments have no Stripe intent.
        payment.HasIndex(p => p.StripePaymentIntentId).IsUnique().HasFilter("\"stripePaymentIntentId\" IS NOT NULL");
        payment.HasIndex(p => p.CapitalCallId);
        payment.HasIndex(p => p.UserId);
        payment.HasIndex(p => p.Status);
        payment.HasIndex(p => p.PaidAt).IsDescending();
        payment.HasOne(p => p.CapitalCall).WithMany()
            .HasForeignKey(p => p.CapitalCallId).OnDelete(DeleteBehavior.Restrict);
        payment.HasOne(p => p.User).WithMany()
            .HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BankAccountConfiguration : IEntityTypeConfiguration<BankAccount>
{
    public void Configure(EntityTypeBuilder<BankAccount> account)
    {
        account.Property(a => a.Status).HasDefaultValue("ACTIVE");
        account.Property(a => a.CreatedAt).HasNowDefault();
        account.Property(a => a.UpdatedAt).HasNowDefault();
        account.HasIndex(a => a.UserId);
        account.HasOne(a => a.User).WithMany()
            .HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class StatementReconciliationConfiguration : IEntityTypeConfiguration<StatementReconciliation>
{
    public void Configure(EntityTypeBuilder<StatementReconciliation> reconciliation)
    {
        reconciliation.Property(r => r.Discrepancies).IsJsonb();
        reconciliation.Property(r => r.ReconciledAt).HasNowDefault();
        reconciliation.HasIndex(r => r.BankAccountId);
        reconciliation.HasIndex(r => r.ReconciledAt).IsDescending();
        // HardenIntegrity: a statement reconciliation belongs to its bank account.
        reconciliation.HasOne(r => r.BankAccount).WithMany()
            .HasForeignKey(r => r.BankAccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
