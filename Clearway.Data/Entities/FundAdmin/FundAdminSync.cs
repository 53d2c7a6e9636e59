namespace Clearway.Data.Entities;

/// <summary>One sync run against a fund-administrator account (SCHEMA.md 3.17).</summary>
public class FundAdminSync
{
    public required string Id { get; set; }
    public required string Administrator { get; set; }
    public required string AccountId { get; set; }
    public required string SyncType { get; set; }
    public int TotalRecords { get; set; }
    public int SuccessCount { get; set; }
    public int FailureCount { get; set; }
    public string? Errors { get; set; }
    public DateTime SyncedAt { get; set; }
}
