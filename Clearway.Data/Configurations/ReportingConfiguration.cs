using Clearway.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations;

internal sealed class ScheduledReportConfiguration : IEntityTypeConfiguration<ScheduledReport>
{
    public void Configure(EntityTypeBuilder<ScheduledReport> report)
    {
        report.Property(r => r.Config).IsJsonb();
        report.Property(r => r.Active).HasTrueDefault();
        report.Property(r => r.CreatedAt).HasNowDefault();
        report.Property(r => r.UpdatedAt).HasNowDefault();
        report.HasIndex(r => r.UserId);
        report.HasIndex(r => r.Active);
        report.HasOne(r => r.User).WithMany()
            .HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReportExecutionConfiguration : IEntityTypeConfiguration<ReportExecution>
{
    public void Configure(EntityTypeBuilder<ReportExecution> execution)
    {
        execution.Property(e => e.ExecutedAt).HasNowDefault();
        execution.Property(e => e.Status).HasDefaultValue("SUCCESS");
        execution.HasIndex(e => e.ScheduledReportId);
        execution.HasIndex(e => e.ExecutedAt).IsDescending();
        execution.HasOne(e => e.ScheduledReport).WithMany(r => r.Executions)
            .HasForeignKey(e => e.ScheduledReportId).OnDelete(DeleteBehavior.Cascade);
    }
}
