namespace Clearway.Data.Entities;

/// <summary>A user-defined outgoing webhook target (SCHEMA.md 3.8).</summary>
public class WebhookEndpoint
{
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public required string Url { get; set; }
    public string[] Events { get; set; } = [];
    public required string Secret { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public User? User { get; set; }
    public List<WebhookDelivery> Deliveries { get; set; } = [];
}
