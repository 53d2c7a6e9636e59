namespace Clearway.Data.Entities;

/// <summary>A person signed in through Clerk. Table <c>"User"</c> (SCHEMA.md 3.1).</summary>
public class User
{
    public required string Id { get; set; }
    public required string ClerkId { get; set; }
    public required string Email { get; set; }
    public string? Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? OrganizationId { get; set; }

    public Organization? Organization { get; set; }
    public List<Document> Documents { get; set; } = [];
    public List<CapitalCall> CapitalCalls { get; set; } = [];
}
