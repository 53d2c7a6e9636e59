namespace Clearway.Data.Entities;

/// <summary>One user action in the security audit stream (SCHEMA.md 3.20).</summary>
public class AuditLog
{
    public required string Id { get; set; }
    public required string Action { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    public string? UserId { get; set; }
    public string? SessionId { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public string? Geolocation { get; set; }
    public string? DeviceFingerprint { get; set; }
    public string? Metadata { get; set; }
    public string SecurityLevel { get; set; } = "LOW";
    public DateTime Timestamp { get; set; }
}
