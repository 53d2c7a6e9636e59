using System.Globalization;
using System.Text;
using Clearway.Data.Schema;

namespace Clearway.Data.Migrator;

/// <summary>What a migrate run did.</summary>
public sealed record MigrateResult(IReadOnlyList<MigrationStepResult> Applied, int AlreadyApplied, TimeSpan Duration, SchemaReport? Verification)
{
    public override string ToString() => Applied.Count == 0
        ? $"Database is up to date ({AlreadyApplied} migrations applied); schema verified."
        : $"Applied {Applied.Count} migration(s) in {Duration.TotalMilliseconds:0} ms: {string.Join(", ", Applied.Select(a => $"{a.Migration} {a.Duration.TotalMilliseconds:0} ms"))}; schema verified.";
}

/// <summary>What a rollback did.</summary>
public sealed record RollbackResult(IReadOnlyList<MigrationStepResult> Reverted, MigrationInfo? Target)
{
    public override string ToString() => Reverted.Count == 0
        ? $"Nothing to roll back: the database is at {Target?.ToString() ?? "0"}."
        : $"Rolled back {Reverted.Count} migration(s) to {Target?.ToString() ?? "0"}: {string.Join(", ", Reverted.Select(r => r.Migration.Name))}.";
}

/// <summary>One row of <see cref="MigrationStatusReport"/>.</summary>
public sealed record MigrationState(MigrationInfo Migration, bool Applied, DateTime? AppliedAtUtc);

/// <summary>Applied and pending migrations, and drift (unknown migrations in the database, verifier findings).</summary>
public sealed record MigrationStatusReport(
    string Target,
    bool DatabaseExists,
    IReadOnlyList<MigrationState> Migrations,
    IReadOnlyList<string> UnknownApplied,
    IReadOnlyList<string> ForeignTables,
    SchemaReport? Verification)
{
    public IEnumerable<MigrationInfo> Pending => Migrations.Where(m => !m.Applied).Select(m => m.Migration);

    /// <summary>True when the database has tables but no migration history (not a Clearway database).</summary>
    public bool NotOurs => ForeignTables.Count > 0 && Migrations.All(m => !m.Applied) && UnknownApplied.Count == 0;

    public bool HasDrift => UnknownApplied.Count > 0 || NotOurs || Verification is { IsValid: false };

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"Database: {Target}{(DatabaseExists ? "" : " (does not exist yet)")}");
        text.AppendLine($"{"State",-8} {"Version",-8} {"Migration",-30} {"Applied at (UTC)",-20}");
        foreach (var m in Migrations)
        {
            var at = m.AppliedAtUtc?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? (m.Applied ? "unknown" : "");
            text.AppendLine($"{(m.Applied ? "applied" : "pending"),-8} {m.Migration.Version,-8} {m.Migration.Name,-30} {at,-20}".TrimEnd());
        }
        var pending = Pending.Count();
        text.AppendLine($"{Migrations.Count - pending} applied, {pending} pending.");
        foreach (var id in UnknownApplied)
            text.AppendLine($"drift: migration {id} is applied in the database but unknown to this build");
        if (NotOurs)
            text.AppendLine($"drift: the database has {ForeignTables.Count} table(s) but no Clearway migration history (not ours?): {string.Join(", ", ForeignTables.Take(10))}");
        if (Verification is { } report)
        {
            text.AppendLine($"verify: {report.Summary}");
            foreach (var f in report.Findings)
                text.AppendLine($"drift: {f}");
        }
        else if (DatabaseExists && pending > 0)
            text.AppendLine("verify: skipped while migrations are pending.");
        return text.ToString().TrimEnd();
    }
}
