namespace Clearway.Data.Entities;

/// <summary>Maps a fund code at an administrator to the fund name used on capital calls (SCHEMA.md 3.16).</summary>
public class FundMapping
{
    public required string Id { get; set; }
    public required string FundAdministrator { get; set; }
    public required string ExternalFundCode { get; set; }
    public required string FundName { get; set; }
    public string? FundType { get; set; }
    public int? Vintage { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
