namespace Clearway.Data.Entities;

/// <summary>An e-signature envelope sent for a capital call (SCHEMA.md 3.7).</summary>
public class SignatureRequest
{
    public required string Id { get; set; }
    public required string CapitalCallId { get; set; }
    public required string Provider { get; set; }
    public required string EnvelopeId { get; set; }
    public required string Status { get; set; }
    public string[] Signers { get; set; } = [];
    public DateTime? CompletedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public CapitalCall? CapitalCall { get; set; }
}
