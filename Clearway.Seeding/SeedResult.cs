using System.Globalization;
using System.Text;

namespace Clearway.Seeding;

/// <summary>Rows written to one table and the wall time from the previous table's end to this one's.</summary>
public sealed record SeedTableResult(string Table, long Rows, TimeSpan Elapsed);

/// <summary>What a seed run did.</summary>
public enum SeedOutcome
{
    /// <summary>The rows were written.</summary>
    Seeded,

    /// <summary>The database already held exactly this seed (same fingerprint): nothing was written.</summary>
    AlreadySeeded,

    /// <summary>The database held this recipe dated another day, and no date was asked for: nothing was written.</summary>
    AlreadySeededAnotherDay,

    /// <summary>The database held another seed, kept as asked (<see cref="SeedOptions.KeepExisting"/>): nothing was written.</summary>
    KeptExisting,
}

/// <summary>What a <see cref="SeedRunner.RunAsync"/> call did.</summary>
public sealed record SeedResult
{
    public required SeedOutcome Outcome { get; init; }

    /// <summary>True when nothing was written (<see cref="Outcome"/> is not <see cref="SeedOutcome.Seeded"/>).</summary>
    public bool Skipped => Outcome != SeedOutcome.Seeded;

    /// <summary>The seed the database held before (its canonical line), when there was one and it was kept.</summary>
    public string? Existing { get; init; }

    public required SeedOptions Options { get; init; }

    public required SeedPlan Plan { get; init; }

    /// <summary><see cref="SeedOptions.Fingerprint"/> of the seed now in the database.</summary>
    public string Fingerprint => Options.Fingerprint;

    /// <summary>Per table, in write order (empty when skipped).</summary>
    public required IReadOnlyList<SeedTableResult> Tables { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>One line saying what happened.</summary>
    public required string Message { get; init; }

    /// <summary>Rows written per table name.</summary>
    public IReadOnlyDictionary<string, long> Rows => Tables.ToDictionary(t => t.Table, t => t.Rows, StringComparer.Ordinal);

    public long TotalRows => Tables.Sum(t => t.Rows);

    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? TotalRows / Elapsed.TotalSeconds : 0;

    /// <summary>The summary table the runner logs: rows per table, total, elapsed, rows/s.</summary>
    public string FormatSummary()
    {
        var sb = new StringBuilder();
        var width = Math.Max(24, Tables.Count == 0 ? 0 : Tables.Max(t => t.Table.Length));
        sb.Append(CultureInfo.InvariantCulture, $"{"Table".PadRight(width)} {"Rows",12} {"ms",9} {"rows/s",11}").AppendLine();
        sb.Append(new string('-', width + 35)).AppendLine();
        foreach (var t in Tables)
        {
            var rate = t.Elapsed.TotalSeconds > 0 ? t.Rows / t.Elapsed.TotalSeconds : 0;
            sb.Append(CultureInfo.InvariantCulture, $"{t.Table.PadRight(width)} {t.Rows,12:N0} {t.Elapsed.TotalMilliseconds,9:N0} {rate,11:N0}").AppendLine();
        }
        sb.Append(new string('-', width + 35)).AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"{"Total".PadRight(width)} {TotalRows,12:N0} {Elapsed.TotalMilliseconds,9:N0} {RowsPerSecond,11:N0}");
        return sb.ToString();
    }
}
