namespace Clearway.Data.Entities;

/// <summary>An organisation's account at a fund administrator, and the state of its sync (SCHEMA.md 3.14).</summary>
public class FundAdminConnection
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string Administrator { get; set; }
    public required string AccountId { get; set; }
    public required string Credentials { get; set; }
    public bool SyncEnabled { get; set; } = true;
    public string Status { get; set; } = "ACTIVE";
    public DateTime? LastSyncAt { get; set; }
    public string? LastSyncStatus { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public Organization? Organization { get; set; }
}
