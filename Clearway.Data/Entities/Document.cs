namespace Clearway.Data.Entities;

/// <summary>An uploaded capital-call notice (or a placeholder for a synced call). Table <c>"Document"</c> (SCHEMA.md 3.3).</summary>
public class Document
{
    public required string Id { get; set; }
    public required string FileName { get; set; }
    public required string FileUrl { get; set; }
    public int FileSize { get; set; }
    public string MimeType { get; set; } = "application/pdf";
    public DateTime UploadedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string UserId { get; set; }
    public string? OrganizationId { get; set; }
    public DocumentStatus Status { get; set; }

    public User? User { get; set; }
    public Organization? Organization { get; set; }
    public CapitalCall? CapitalCall { get; set; }
}
