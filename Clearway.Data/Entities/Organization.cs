namespace Clearway.Data.Entities;

/// <summary>An RIA or family office using Clearway. Table <c>"Organization"</c> (SCHEMA.md 3.2).</summary>
public class Organization
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    // Phase 2 columns: added to the existing table by Phase2CompleteSchema, so they come last.
    public string? CustomDomain { get; set; }
    public string Plan { get; set; } = "STARTER";
    public string? Settings { get; set; }

    public List<User> Users { get; set; } = [];
}
