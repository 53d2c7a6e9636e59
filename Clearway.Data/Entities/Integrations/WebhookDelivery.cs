namespace Clearway.Data.Entities;

/// <summary>One attempt to deliver an event to a <see cref="WebhookEndpoint"/> (SCHEMA.md 3.9).</summary>
public class WebhookDelivery
{
    public required string Id { get; set; }
    public required string WebhookEndpointId { get; set; }
    public required string EventType { get; set; }
    public required string Status { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }
    public required string Payload { get; set; }
    public DateTime DeliveredAt { get; set; }

    public WebhookEndpoint? WebhookEndpoint { get; set; }
}
