namespace Clearway.Data.Entities;

/// <summary>A journal entry or deposit pushed to an accounting platform for a capital call (SCHEMA.md 3.6).</summary>
public class AccountingTransaction
{
    public required string Id { get; set; }
    public required string CapitalCallId { get; set; }
    public required string Provider { get; set; }
    public required string ExternalId { get; set; }
    public required string Type { get; set; }
    public decimal Amount { get; set; }
    public required string Status { get; set; }
    public required string ConnectionId { get; set; }
    public DateTime CreatedAt { get; set; }

    public AccountingConnection? Connection { get; set; }
    public CapitalCall? CapitalCall { get; set; }
}
