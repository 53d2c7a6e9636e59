namespace Clearway.Data.Entities;

/// <summary>A GDPR data processing agreement of an organisation (SCHEMA.md 3.22).</summary>
public class DataProcessingAgreement
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string ProcessorName { get; set; }
    public required string Purpose { get; set; }
    public string[] DataCategories { get; set; } = [];
    public DateTime SignedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public string? AgreementUrl { get; set; }
    public string? ContactEmail { get; set; }
    public string Status { get; set; } = "ACTIVE";

    public Organization? Organization { get; set; }
}
