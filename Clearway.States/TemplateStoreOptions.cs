namespace Clearway.States;

/// <summary>The template store's limits (configuration section <c>Clearway:States</c>).</summary>
public sealed record TemplateStoreOptions
{
    public const string Section = "Clearway:States";

    /// <summary>Templates kept at most; beyond, the least recently used are dropped (never one in use).</summary>
    public int MaxTemplates { get; init; } = 12;

    /// <summary>Bytes the templates may take in all; beyond, the least recently used are dropped (never one in use).</summary>
    public long MaxBytes { get; init; } = 20L * 1024 * 1024 * 1024;

    /// <summary>
    /// Template size from which clones copy files instead of WAL-logging blocks. Measured by the benchmarks on
    /// PostgreSQL 15 with Clearway's server settings (wal_level minimal), 2 cores: one clone at a time, FILE_COPY is the
    /// faster at every size (97 / 144 / 6,738 ms against WAL_LOG 137 / 245 / 10,443 ms for the 11 MB, 27 MB and 3.9 GB
    /// templates); but each FILE_COPY forces a checkpoint, and clones made back to back (a test-database pool refilling)
    /// then wait on one another: see docs/seeding.md for the test-database latencies both ways. Small templates keep
    /// WAL_LOG.
    /// </summary>
    public long FileCopyFromBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Connections a template build loads and indexes on; default: one per core.</summary>
    public int? Parallelism { get; init; }

    /// <summary>One line naming the first bad value, or null.</summary>
    public string? Problem() =>
        MaxTemplates < 1 ? $"{Section}:MaxTemplates must be at least 1 (got {MaxTemplates})"
        : MaxBytes < 1 ? $"{Section}:MaxBytes must be positive (got {MaxBytes})"
        : FileCopyFromBytes < 0 ? $"{Section}:FileCopyFromBytes must not be negative (got {FileCopyFromBytes})"
        : Parallelism is < 1 ? $"{Section}:Parallelism must be at least 1 (got {Parallelism})"
        : null;
}
