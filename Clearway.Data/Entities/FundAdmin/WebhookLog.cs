namespace Clearway.Data.Entities;

/// <summary>An incoming webhook from a fund administrator; <see cref="EventId"/> is the idempotency key (SCHEMA.md 3.19).</summary>
public class WebhookLog
{
    public required string Id { get; set; }
    public required string Source { get; set; }
    public required string EventType { get; set; }
    public required string EventId { get; set; }
    public required string Payload { get; set; }
    public DateTime ProcessedAt { get; set; }
}
