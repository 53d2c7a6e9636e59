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
    /// Template size from which clones copy files instead of WAL-logging blocks. Measured on PostgreSQL 15 with fsync off
    /// (2 cores): WAL_LOG is faster up to at least 37 MB (26 and 54 ms against 71 and 99 ms), FILE_COPY from about
    /// 127 MB (370 against 514 ms).
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
