namespace Clearway.Testing.Databases;

public sealed record ClearwayDatabaseFactoryOptions
{
    /// <summary>Clones kept ready per template. 0 turns the warm pool off.</summary>
    public int PoolSize { get; init; } = 2;

    public CloneStrategy CloneStrategy { get; init; } = CloneStrategy.Auto;

    /// <summary>
    /// Template size from which <see cref="CloneStrategy.Auto"/> copies files instead of WAL-logging blocks. Measured
    /// on PostgreSQL 15 with fsync off (2 cores): WAL_LOG is faster up to at least 37 MB (our tiny and dev
    /// templates: 26 and 54 ms against 71 and 99 ms), FILE_COPY from about 127 MB (370 against 514 ms).
    /// </summary>
    public long FileCopyThresholdBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Keep the database of a failed test (default: env <c>CLEARWAY_KEEP_FAILED_DATABASES=1</c>).</summary>
    public bool KeepFailedDatabases { get; init; } = Environment.GetEnvironmentVariable("CLEARWAY_KEEP_FAILED_DATABASES") is "1" or "true";
}
