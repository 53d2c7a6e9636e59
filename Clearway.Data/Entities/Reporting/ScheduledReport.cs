namespace Clearway.Data.Entities;

/// <summary>A report a user has scheduled for e-mail delivery (SCHEMA.md 3.27).</summary>
public class ScheduledReport
{
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public required string Config { get; set; }
    public required string Schedule { get; set; }
    public string[] Recipients { get; set; } = [];
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public User? User { get; set; }
    public List<ReportExecution> Executions { get; set; } = [];
}
