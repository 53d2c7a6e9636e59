namespace Clearway.Data.Entities;

/// <summary>An organisation's SAML or OIDC single sign-on set-up. Table <c>"SSOConnection"</c> (SCHEMA.md 3.26).</summary>
public class SsoConnection
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string Provider { get; set; }
    public bool Enabled { get; set; } = true;
    public required string Config { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public Organization? Organization { get; set; }
}
