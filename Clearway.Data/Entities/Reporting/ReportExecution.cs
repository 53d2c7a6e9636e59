namespace Clearway.Data.Entities;

/// <summary>One run of a <see cref="ScheduledReport"/> (SCHEMA.md 3.28).</summary>
public class ReportExecution
{
    public required string Id { get; set; }
    public required string ScheduledReportId { get; set; }
    public DateTime ExecutedAt { get; set; }
    public int RecipientCount { get; set; }
    public string Status { get; set; } = "SUCCESS";
    public string? Error { get; set; }

    public ScheduledReport? ScheduledReport { get; set; }
}
