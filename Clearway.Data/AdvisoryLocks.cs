namespace Clearway.Data;

/// <summary>The PostgreSQL advisory lock keys Clearway's processes coordinate with (one definition, every user reads it here).</summary>
public static class AdvisoryLocks
{
    /// <summary>
    /// Held exclusively by a seed for its whole transaction; a view refresh takes it shared first, so it waits for the
    /// seed to commit instead of deadlocking with its TRUNCATE, COPY and index rebuilds.
    /// </summary>
    public const long Seeding = 0x436C656172536565; // "ClearSee"
}
