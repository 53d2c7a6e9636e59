namespace Clearway.Data.Entities;

/// <summary>An investor seen in a sync with no <see cref="InvestorMapping"/> yet (SCHEMA.md 3.18).</summary>
public class UnmappedInvestor
{
    public required string Id { get; set; }
    public required string FundAdministrator { get; set; }
    public required string ExternalInvestorId { get; set; }
    public required string InvestorName { get; set; }
    public required string Email { get; set; }
    public string? FundId { get; set; }
    public bool NeedsMapping { get; set; } = true;
    public DateTime? MappedAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
