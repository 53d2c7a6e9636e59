namespace Clearway.Data.Entities;

/// <summary>A capital call extracted from a notice or synced from a fund administrator. Table <c>"CapitalCall"</c> (SCHEMA.md 3.4).</summary>
public class CapitalCall
{
    public required string Id { get; set; }
    public required string FundName { get; set; }
    public string? InvestorEmail { get; set; }
    public string? InvestorAccount { get; set; }
    public decimal AmountDue { get; set; }
    public string Currency { get; set; } = "USD";
    public DateTime DueDate { get; set; }
    public string? BankName { get; set; }
    public string? AccountNumber { get; set; }
    public string? RoutingNumber { get; set; }
    public string? WireReference { get; set; }
    public DateTime ExtractedAt { get; set; }
    public DateTime? ReviewedAt { get; set; }
    public DateTime? ApprovedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? ConfidenceScores { get; set; }
    public string? RawExtraction { get; set; }
    public required string DocumentId { get; set; }
    public required string UserId { get; set; }
    public CapitalCallStatus Status { get; set; }

    // Phase 2 columns: added to the existing table by Phase2CompleteSchema, so they come last.
    public DateTime? PaidAt { get; set; }
    public string? Source { get; set; }
    public string? ExternalId { get; set; }
    public string? OrganizationId { get; set; }

    public Document? Document { get; set; }
    public User? User { get; set; }
    public Organization? Organization { get; set; }
}
