namespace Clearway.Data.Entities;

/// <summary>A fund-administrator platform registered with Clearway (SCHEMA.md 3.13).</summary>
public class FundAdministrator
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public required string ApiKey { get; set; }
    public bool IsActive { get; set; } = true;
    public string? ContactEmail { get; set; }
    public string? Website { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
