namespace Clearway.Data.Entities;

/// <summary>A named set of <c>resource:action</c> permissions in an organisation (SCHEMA.md 3.24).</summary>
public class OrganizationRole
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string Name { get; set; }
    public string[] Permissions { get; set; } = [];
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public Organization? Organization { get; set; }
}
