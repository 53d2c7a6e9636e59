namespace Clearway.Data.Entities;

/// <summary>OAuth connection of an organisation to QuickBooks, Xero or NetSuite (SCHEMA.md 3.5).</summary>
public class AccountingConnection
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string Provider { get; set; }
    public required string AccessToken { get; set; }
    public required string RefreshToken { get; set; }
    public string? RealmId { get; set; }
    public DateTime ExpiresAt { get; set; }
    public required string Config { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public Organization? Organization { get; set; }
    public List<AccountingTransaction> Transactions { get; set; } = [];
}
