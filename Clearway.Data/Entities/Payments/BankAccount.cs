namespace Clearway.Data.Entities;

/// <summary>A Plaid-connected bank account of a user (SCHEMA.md 3.11).</summary>
public class BankAccount
{
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public required string PlaidAccessToken { get; set; }
    public required string PlaidAccountId { get; set; }
    public required string AccountName { get; set; }
    public required string AccountMask { get; set; }
    public required string AccountType { get; set; }
    public string Status { get; set; } = "ACTIVE";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public User? User { get; set; }
}
