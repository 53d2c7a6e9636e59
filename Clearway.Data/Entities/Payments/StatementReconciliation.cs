namespace Clearway.Data.Entities;

/// <summary>One bank statement matched against payments (SCHEMA.md 3.12).</summary>
public class StatementReconciliation
{
    public required string Id { get; set; }
    public required string BankAccountId { get; set; }
    public required string StatementUrl { get; set; }
    public DateTime StartDate { get; set; }
    public DateTime EndDate { get; set; }
    public int TotalTransactions { get; set; }
    public int MatchedCount { get; set; }
    public int UnmatchedCount { get; set; }
    public string? Discrepancies { get; set; }
    public DateTime ReconciledAt { get; set; }

    public BankAccount? BankAccount { get; set; }
}
