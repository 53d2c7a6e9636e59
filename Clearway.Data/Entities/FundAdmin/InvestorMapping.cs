namespace Clearway.Data.Entities;

/// <summary>Links an investor id at a fund administrator to a Clearway user, with the commitment (SCHEMA.md 3.15).</summary>
public class InvestorMapping
{
    public required string Id { get; set; }
    public required string FundAdministrator { get; set; }
    public required string ExternalInvestorId { get; set; }
    public required string UserId { get; set; }
    public required string InvestorName { get; set; }
    public required string Email { get; set; }
    public decimal? Commitment { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public User? User { get; set; }
}
