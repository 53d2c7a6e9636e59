namespace Clearway.Data.Entities;

/// <summary>A user's membership of an organisation, with the role's permissions copied in (SCHEMA.md 3.23).</summary>
public class OrganizationMember
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string UserId { get; set; }
    public required string Role { get; set; }
    public string[] Permissions { get; set; } = [];
    public DateTime JoinedAt { get; set; }

    public Organization? Organization { get; set; }
    public User? User { get; set; }
}
