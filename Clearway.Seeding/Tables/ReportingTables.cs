using Clearway.Data.Entities;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Generation;

namespace Clearway.Seeding.Tables;

/// <summary>Scheduled reports and their execution history.</summary>
internal static class ReportingTables
{
    private static readonly (string Name, string Type, string Range)[] Reports =
    [
        ("Monthly Capital Calls Summary", "CAPITAL_CALLS_SUMMARY", "LAST_MONTH"), ("Upcoming Calls (next 30 days)", "UPCOMING_CALLS", "NEXT_30_DAYS"),
        ("Payment Status", "PAYMENT_STATUS", "LAST_7_DAYS"), ("Fund Performance", "FUND_PERFORMANCE", "YEAR_TO_DATE"),
        ("Overdue Calls Digest", "OVERDUE_CALLS", "ALL_TIME"),
    ];

    private static readonly string[] Schedules = ["DAILY", "WEEKLY", "MONTHLY"];

    private static string ScheduleOf(int user) => Schedules[user / 4 % 3];

    private static string[] RecipientsOf(SeedWorld world, UserInfo user) =>
        user.OrgIndex >= 0 ? [user.Email, $"finance@{world.Org(user.OrgIndex).Domain}"] : [user.Email];

    public static readonly TableSpec<ScheduledReport> ScheduledReports = new("ScheduledReport",
        ["id", "userId", "name", "config", "schedule", "recipients", "active", "createdAt", "updatedAt"],
        (w, e) =>
        {
            w.Text(e.Id); w.Text(e.UserId); w.Text(e.Name); w.Json(e.Config); w.Text(e.Schedule); w.TextArray(e.Recipients); w.Bool(e.Active);
            w.Timestamp(e.CreatedAt); w.Timestamp(e.UpdatedAt);
        },
        GenerateReports,
        p => p.ScheduledReports);

    private static IEnumerable<ScheduledReport> GenerateReports(SeedWorld world)
    {
        for (var u = 0; u < world.UserCount; u++)
        {
            if (!Structure.HasScheduledReport(u)) continue;
            var user = world.User(u);
            var rng = world.RngFor("ScheduledReport", (ulong)u);
            var report = Reports[(u / 4) % Reports.Length];
            var created = Time.Ms(world.Now - Time.Days(ref rng, 250, 400));
            yield return new ScheduledReport
            {
                Id = world.Id("ScheduledReport", (ulong)u),
                UserId = user.Id,
                Name = report.Name,
                Config = Config(report.Type, report.Range, rng.Chance(0.7), rng.Chance(0.8) ? "PDF" : "CSV"),
                Schedule = ScheduleOf(u),
                Recipients = RecipientsOf(world, user),
                Active = u < Structure.PersonaUsers || rng.Chance(0.85),
                CreatedAt = created,
                UpdatedAt = Time.Ms(created + Time.Days(ref rng, 0, 200)),
            };
        }
    }

    private static string Config(string type, string range, bool includeCharts, string format)
    {
        var json = Json.Start();
        json.WriteStartObject();
        json.WriteString("type", type);
        json.WriteString("dateRange", range);
        json.WriteBoolean("includeCharts", includeCharts);
        json.WriteString("format", format);
        json.WriteEndObject();
        return Json.Finish(json);
    }

    public static readonly TableSpec<ReportExecution> ReportExecutions = new("ReportExecution",
        ["id", "scheduledReportId", "executedAt", "recipientCount", "status", "error"],
        (w, e) => { w.Text(e.Id); w.Text(e.ScheduledReportId); w.Timestamp(e.ExecutedAt); w.Int(e.RecipientCount); w.Text(e.Status); w.Text(e.Error); },
        GenerateExecutions,
        p => p.ScheduledReports * Structure.ExecutionsPerReport);

    private static IEnumerable<ReportExecution> GenerateExecutions(SeedWorld world)
    {
        for (var u = 0; u < world.UserCount; u++)
        {
            if (!Structure.HasScheduledReport(u)) continue;
            var user = world.User(u);
            var recipients = RecipientsOf(world, user).Length;
            var period = ScheduleOf(u) switch { "DAILY" => 1, "WEEKLY" => 7, _ => 30 };
            for (var e = 0; e < Structure.ExecutionsPerReport; e++)
            {
                var key = (ulong)u * 16 + (ulong)e;
                var rng = world.RngFor("ReportExecution", key);
                var failed = rng.Chance(0.12);
                yield return new ReportExecution
                {
                    Id = world.Id("ReportExecution", key),
                    ScheduledReportId = world.Id("ScheduledReport", (ulong)u),
                    ExecutedAt = Time.Ms(world.Now.AddDays(-period * (Structure.ExecutionsPerReport - e)).AddHours(6) + Time.Minutes(ref rng, 0, 5)),
                    RecipientCount = failed ? 0 : recipients,
                    Status = failed ? "FAILED" : "SUCCESS",
                    Error = failed ? rng.Pick(["SMTP 451: temporary local problem, try again later", "Report generation timed out after 120 s", "Recipient mailbox unavailable (550)"]) : null,
                };
            }
        }
    }
}
