namespace Clearway.Data.Entities;

/// <summary>An invitation to join an organisation (SCHEMA.md 3.25).</summary>
public class OrganizationInvite
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string Email { get; set; }
    public required string Role { get; set; }
    public required string InvitedBy { get; set; }
    public required string Token { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public DateTime CreatedAt { get; set; }

    public Organization? Organization { get; set; }
    public User? Inviter { get; set; }
}
