namespace Clearway.Data.Entities;

/// <summary>Money sent against a capital call, with its reconciliation trail (SCHEMA.md 3.10).</summary>
public class Payment
{
    public required string Id { get; set; }
    public required string CapitalCallId { get; set; }
    public required string UserId { get; set; }
    public decimal Amount { get; set; }
    public string Currency { get; set; } = "USD";
    public DateTime PaidAt { get; set; }
    public required string PaymentMethod { get; set; }
    public required string Status { get; set; }
    public string? Reference { get; set; }
    public string? SwiftMessage { get; set; }
    public string? StripePaymentIntentId { get; set; }
    public string? BankStatementId { get; set; }
    public DateTime? ReconciledAt { get; set; }
    public string? ReconciledBy { get; set; }
    public string? ReconciliationNotes { get; set; }
    public string? FailureReason { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public CapitalCall? CapitalCall { get; set; }
    public User? User { get; set; }
}
