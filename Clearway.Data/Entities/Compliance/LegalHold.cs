namespace Clearway.Data.Entities;

/// <summary>A legal hold on a user's data; released when <see cref="ReleasedAt"/> is set (SCHEMA.md 3.21).</summary>
public class LegalHold
{
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public required string Reason { get; set; }
    public string Status { get; set; } = "ACTIVE";
    public required string CreatedBy { get; set; }
    public string? CaseNumber { get; set; }
    public string? Notes { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReleasedAt { get; set; }

    public User? User { get; set; }
}
